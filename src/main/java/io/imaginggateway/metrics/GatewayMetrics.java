package io.imaginggateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.imaginggateway.site.Feeds;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * The gateway's own meters (at {@code /actuator/prometheus} beside Camel's route meters). Labels carry only what
 * an operator configured or a standard defines, never patient data: feed ids, message types the feeds accept, outcome
 * codes, FHIR resource types, and calling AE titles (at most {@value #MAX_AE_TITLES} of them; any more count as
 * {@code other}, so that a scanner trying AE titles cannot grow the metrics without bound).
 * <ul>
 *   <li>{@code gateway_messages_total{kind,feed,type,outcome}}: every HL7 message and FHIR file by what became of it;</li>
 *   <li>{@code gateway_hl7_ack_seconds}: frame read to acknowledgement built (histogram), by feed and ACK code;</li>
 *   <li>{@code gateway_dicom_instances_total{calling_ae,outcome}}, {@code gateway_dicom_associations_total{calling_ae}};</li>
 *   <li>{@code gateway_fhir_writes_total{resource_type,outcome}}: resources created, updated, or failed with their
 *       transaction.</li>
 * </ul>
 */
@Component
public class GatewayMetrics {

    static final int MAX_AE_TITLES = 200;

    private final MeterRegistry registry;
    /** The message types some feed accepts: a label value; anything else a sender writes in MSH-9 is "other". */
    private final Set<String> messageTypes;
    private final Set<String> aeTitles = ConcurrentHashMap.newKeySet();

    GatewayMetrics(MeterRegistry registry, Feeds feeds) {
        this.registry = registry;
        this.messageTypes = feeds.all().stream().flatMap(feed -> feed.messageTypes().stream()).collect(Collectors.toSet());
    }

    /** An HL7 message (or FHIR file) and what became of it. */
    public void message(String kind, String feed, String type, String outcome) {
        Counter.builder("gateway.messages").description("Messages received, by what became of them")
                .tags("kind", kind, "feed", feed == null ? "unknown" : feed,
                        "type", type != null && messageTypes.contains(type) ? type : "other", "outcome", outcome)
                .register(registry).increment();
    }

    /** Time from the frame read to its acknowledgement. */
    public void acknowledged(String feed, String code, Duration latency) {
        Timer.builder("gateway.hl7.ack").description("MLLP frame read to acknowledgement built")
                .tags("feed", feed == null ? "unknown" : feed, "code", code)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(latency);
    }

    public void dicomInstance(String callingAe, String outcome) {
        Counter.builder("gateway.dicom.instances").description("DICOM instances received, by what became of them")
                .tags("calling_ae", aeLabel(callingAe), "outcome", outcome).register(registry).increment();
    }

    public void dicomAssociation(String callingAe) {
        Counter.builder("gateway.dicom.associations").description("DICOM associations accepted")
                .tags("calling_ae", aeLabel(callingAe)).register(registry).increment();
    }

    /** A FHIR resource written (created, updated) or not (failed: its transaction was not committed). */
    public void fhirWrite(String resourceType, String outcome) {
        Counter.builder("gateway.fhir.writes").description("FHIR resources written by the gateway's feeds")
                .tags("resource_type", resourceType, "outcome", outcome).register(registry).increment();
    }

    private String aeLabel(String callingAe) {
        String ae = callingAe == null || callingAe.isBlank() ? "none" : callingAe.strip();
        if (aeTitles.contains(ae)) {
            return ae;
        }
        if (aeTitles.size() < MAX_AE_TITLES) {
            aeTitles.add(ae);
            return ae;
        }
        return "other";
    }
}
