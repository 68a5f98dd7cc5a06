package io.imaginggateway.hl7;

import ca.uhn.hl7v2.HL7Exception;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.v2.OrderMessageToBundle;
import io.imaginggateway.mapping.v2.ResultMessageToBundle;
import io.imaginggateway.mapping.v2.V2Message;
import org.springframework.stereotype.Component;

/** The MLLP route's mapping steps: a received message to its FHIR transaction, with the site's rules. */
@Component("hl7Mapping")
public class Hl7Mapping {

    /** A received message and what it maps to. */
    public record Hl7Mapped(Hl7Received received, MappingContext.Mapped mapped) {}

    private final MappingRules rules;

    Hl7Mapping(MappingRules rules) {
        this.rules = rules;
    }

    /** ORM^O01, OMI^O23. */
    public Hl7Mapped orders(Hl7Received received) throws HL7Exception {
        return new Hl7Mapped(received, OrderMessageToBundle.map(V2Message.read(received.message()), rules));
    }

    /** ORU^R01. */
    public Hl7Mapped results(Hl7Received received) throws HL7Exception {
        return new Hl7Mapped(received, ResultMessageToBundle.map(V2Message.read(received.message()), rules));
    }
}
