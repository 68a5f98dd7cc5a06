package io.imaginggateway.mapping.v2;

import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import io.imaginggateway.mapping.MappingRules;
import org.hl7.fhir.r4.model.Reference;

/**
 * An order message (ORM^O01, OMI^O23) to one FHIR transaction: the Patient (PID), the Encounter (PV1), for each
 * ORC/OBR group a ServiceRequest, and an ImagingStudy for each Study Instance UID the order already names; every
 * Practitioner once per identifier. Pure: the same message and rules always give the same Bundle.
 */
public final class OrderMessageToBundle {

    private OrderMessageToBundle() {}

    public static MappingContext.Mapped map(V2Message message, MappingRules rules) {
        MappingContext context = V2Source.context(message.msh(), rules);
        PatientVisit visit = PatientVisit.of(message, context);
        if (message.orders().isEmpty()) {
            throw new MappingException(MappingException.Problem.SEGMENT_MISSING, "ORC",
                    "The message has no ORC/OBR order group");
        }
        for (V2Message.OrderGroup group : message.orders()) {
            OrcObrToServiceRequest.Order order = OrcObrToServiceRequest.serviceRequest(group, visit.patient(), visit.encounter(), context);
            OrcObrToServiceRequest.notes(group.notes(), group.obr()).forEach(text -> order.request().addNote().setText(text));
            SiteFieldRules.apply(order.request(), message, group, context);
            Reference orderReference = context.transaction().upsert(order.request(), order.identity());
            StudyUidToImagingStudy.imagingStudies(group, order, orderReference, visit.referrer(), context);
        }
        return context.result();
    }
}
