package io.imaginggateway.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.v2.OrderMessageToBundle;
import io.imaginggateway.mapping.v2.ResultMessageToBundle;
import io.imaginggateway.mapping.v2.V2Message;
import org.springframework.stereotype.Component;

/** The MLLP route's mapping steps: a parsed message to its FHIR transaction, with the site's rules. */
@Component("hl7Mapping")
public class Hl7Mapping {

    private final MappingRules rules;

    Hl7Mapping(MappingRules rules) {
        this.rules = rules;
    }

    /** ORM^O01, OMI^O23. */
    public MappingContext.Mapped orders(Message message) throws HL7Exception {
        return OrderMessageToBundle.map(V2Message.read(message), rules);
    }

    /** ORU^R01. */
    public MappingContext.Mapped results(Message message) throws HL7Exception {
        return ResultMessageToBundle.map(V2Message.read(message), rules);
    }
}
