package io.imaginggateway.hl7;

import ca.uhn.hl7v2.HL7Exception;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.v2.OrderMessageToBundle;
import io.imaginggateway.mapping.v2.ResultMessageToBundle;
import io.imaginggateway.mapping.v2.V2Message;
import org.springframework.stereotype.Component;

/** The map step of the MLLP routes: a received message to its FHIR transaction, with its feed's rules. */
@Component("hl7Mapping")
public class Hl7Mapping {

    /** A received message and what it maps to. */
    public record Hl7Mapped(Hl7Received received, MappingContext.Mapped mapped) {}

    /** ORM^O01 and OMI^O23 are orders, ORU^R01 results. */
    public Hl7Mapped map(Hl7Received received) throws HL7Exception {
        V2Message message = V2Message.read(received.message());
        MappingContext.Mapped mapped = received.msh().messageCode().equals("ORU")
                ? ResultMessageToBundle.map(message, received.feed().rules())
                : OrderMessageToBundle.map(message, received.feed().rules());
        return new Hl7Mapped(received, mapped);
    }
}
