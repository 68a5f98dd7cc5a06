package io.imaginggateway.mapping.v2;

import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;

/**
 * Any supported message to its transaction, by MSH-9: ORU to {@link ResultMessageToBundle}, the others (ORM, OMI) to
 * {@link OrderMessageToBundle}. For tools that take any message; the MLLP route chooses the mapper itself, where an
 * integration engineer can see and change the choice.
 */
public final class V2MessageToBundle {

    private V2MessageToBundle() {}

    public static MappingContext.Mapped map(V2Message message, MappingRules rules) {
        return "ORU".equals(message.msh().getMessageType().getMessageCode().getValue())
                ? ResultMessageToBundle.map(message, rules) : OrderMessageToBundle.map(message, rules);
    }
}
