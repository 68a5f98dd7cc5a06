package io.imaginggateway.mapping.v2;

import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import io.imaginggateway.mapping.MappingRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;

/**
 * A result message (ORU^R01) to one FHIR transaction: the Patient (PID), the Encounter (PV1), and for each ORC/OBR
 * group a DiagnosticReport with its text and attachments and an Observation per discrete OBX; every Practitioner once
 * per identifier.
 *
 * <p>The report links to its order and study whichever arrived first: the order is written as the report knows it
 * (its numbers, procedure, ORC-5; {@code unknown} status unless ORC-5 says more), so an order that is already stored
 * is completed, not replaced (see {@code linking.ResourceMerge}), and an order that arrives later finds the same
 * resource; likewise the ImagingStudy of an OBX {@code 113014^DICOM Study^DCM}. The report and its Observations are
 * identified by the order's numbers, so the preliminary, final and corrected report are versions of one resource.
 * Pure: the same message and rules always give the same Bundle.
 */
public final class ResultMessageToBundle {

    private ResultMessageToBundle() {}

    public static MappingContext.Mapped map(V2Message message, MappingRules rules) {
        MappingContext context = V2Source.context(message.msh(), rules);
        PatientVisit visit = PatientVisit.of(message, context);
        if (message.orders().isEmpty()) {
            throw new MappingException(MappingException.Problem.SEGMENT_MISSING, "OBR",
                    "The message has no OBR: it reports nothing");
        }
        for (V2Message.OrderGroup group : message.orders()) {
            if (group.obr() == null) {
                throw new MappingException(MappingException.Problem.SEGMENT_MISSING, "OBR",
                        "An ORC is not followed by the OBR of its report");
            }
            OrcObrToServiceRequest.Order order = OrcObrToServiceRequest.serviceRequest(group, visit.patient(), visit.encounter(), context);
            SiteFieldRules.apply(order.request(), message, group, context);
            Reference orderReference = context.transaction().upsert(order.request(), order.identity());
            List<Reference> studies = StudyUidToImagingStudy.imagingStudies(group, order, orderReference, visit.referrer(), context);
            DiagnosticReport report = ObrToDiagnosticReport.report(group, order, orderReference, context);
            studies.forEach(study -> report.addImagingStudy(study.copy()));
            ObxToPresentedForm.addTo(report, group, context);
            Map<String, Integer> seen = new HashMap<>();
            for (V2Message.Result result : group.results()) {
                boolean flaggedText = ObxToPresentedForm.isText(result.obx(), context) && ObxToObservation.flagged(result.obx());
                if (StudyUidToImagingStudy.namesStudy(result.obx())
                        || ObxToPresentedForm.isContent(result.obx(), context) && !flaggedText) {
                    continue;
                }
                Observation observation = ObxToObservation.observation(result, report, order.kind(), studies, context);
                int repeat = seen.merge(ObxToObservation.observed(result.obx()), 1, Integer::sum);
                List<Identifier> identity = ObxToObservation.identity(report, result.obx(), repeat);
                identity.forEach(identifier -> observation.addIdentifier(identifier.copy()));
                report.addResult(context.transaction().upsert(observation, identity));
            }
            SiteFieldRules.apply(report, message, group, context);
            context.transaction().upsert(report, order.identity());
        }
        return context.result();
    }
}
