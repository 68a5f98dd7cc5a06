package io.imaginggateway.health;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs the single "ready" line operators and scripts wait for: time since JVM start and every port listened on. */
@Component
class ReadyAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(ReadyAnnouncer.class);

    private final ObjectProvider<InboundListener> listeners;

    ReadyAnnouncer(ObjectProvider<InboundListener> listeners) {
        this.listeners = listeners;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        List<String> ports = new ArrayList<>();
        if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
            ports.add("FHIR http://localhost:" + web.getWebServer().getPort() + "/fhir");
        }
        listeners.orderedStream().map(InboundListener::describe).forEach(ports::add);
        double seconds = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        log.info("Gateway ready in {} s: {}", String.format("%.1f", seconds), String.join(", ", ports));
    }
}
