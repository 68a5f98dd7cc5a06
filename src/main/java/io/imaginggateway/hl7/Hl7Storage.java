package io.imaginggateway.hl7;

import io.imaginggateway.fhirstore.FhirStore;
import org.springframework.stereotype.Component;

/**
 * The MLLP route's store step: the message's transaction written once per message (a message re-sent with the same
 * sender, MSH-10 and content writes nothing), linked, validated and committed before the route goes on.
 */
@Component("hl7Storage")
public class Hl7Storage {

    /** A stored message: what it mapped to and what the store did with it. */
    public record Hl7Stored(Hl7Mapping.Hl7Mapped mapped, FhirStore.Result result) {}

    private final FhirStore store;

    Hl7Storage(FhirStore store) {
        this.store = store;
    }

    public Hl7Stored store(Hl7Mapping.Hl7Mapped mapped) {
        return new Hl7Stored(mapped, store.store(mapped.mapped().bundle(), mapped.received().source()));
    }
}
