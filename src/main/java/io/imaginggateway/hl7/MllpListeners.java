package io.imaginggateway.hl7;

import io.imaginggateway.health.InboundListener;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.springframework.stereotype.Component;

/** Names, in the ready line, the MLLP ports the loaded routes listen on (a site may add or remove such routes). */
@Component
class MllpListeners implements InboundListener {

    private final CamelContext camel;

    MllpListeners(CamelContext camel) {
        this.camel = camel;
    }

    @Override
    public String describe() {
        String ports = camel.getRoutes().stream()
                .filter(route -> route.getEndpoint() instanceof MllpEndpoint)
                .map(route -> route.getId() + " :" + ((MllpEndpoint) route.getEndpoint()).getPort())
                .collect(Collectors.joining(", "));
        return ports.isEmpty() ? "HL7 MLLP: no route" : "HL7 MLLP " + ports;
    }
}
