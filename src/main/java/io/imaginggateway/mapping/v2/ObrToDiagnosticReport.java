package io.imaginggateway.mapping.v2;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.hl7v2.model.v251.datatype.NDL;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Reference;

/**
 * The OBR of a result message to its DiagnosticReport's header (V2-to-FHIR IG OBR map, report side):
 * <table>
 *   <tr><td>identifier</td><td>the order's placer, filler and accession numbers (any one finds the report again)</td></tr>
 *   <tr><td>status</td><td>OBR-25 (ConceptMap {@code v2-result-status-to-report-status}, spelled-out statuses such
 *       as Final, Prelim, Wet Read too); OBR-25 empty: what the OBX-11 statuses agree on, else partial; none or
 *       unmapped: unknown</td></tr>
 *   <tr><td>category</td><td>OBR-24 when it is a diagnostic service section; else by the kind of service
 *       ({@link ServiceKind}): the site's report category for imaging, LAB for laboratory</td></tr>
 *   <tr><td>code</td><td>OBR-4, every coding</td></tr>
 *   <tr><td>effective</td><td>OBR-7 (with OBR-8: a period)</td></tr>
 *   <tr><td>issued</td><td>OBR-22</td></tr>
 *   <tr><td>resultsInterpreter</td><td>OBR-32 principal, then OBR-33 assistants</td></tr>
 *   <tr><td>performer</td><td>OBR-34 technicians, OBR-35 transcriptionists</td></tr>
 *   <tr><td>subject, encounter, basedOn</td><td>those of the order</td></tr>
 * </table>
 * The report's content (text, PDF, Observations) and study are added by {@link ResultMessageToBundle}.
 */
final class ObrToDiagnosticReport {

    /** Observation statuses that are DiagnosticReport statuses with the same meaning. */
    private static final Set<String> REPORT_STATUSES = Set.of("registered", "preliminary", "final", "amended",
            "corrected", "cancelled", "entered-in-error");

    private ObrToDiagnosticReport() {}

    static DiagnosticReport report(V2Message.OrderGroup group, OrcObrToServiceRequest.Order order,
            Reference orderReference, MappingContext context) {
        OBR obr = group.obr();
        MappingRules rules = context.rules();
        DiagnosticReport report = new DiagnosticReport();
        order.identity().forEach(identifier -> report.addIdentifier(identifier.copy()));
        report.addBasedOn(orderReference);
        report.setSubject(order.request().getSubject());
        if (order.request().hasEncounter()) {
            report.setEncounter(order.request().getEncounter());
        }
        report.setStatus(status(obr.getResultStatus().getValue(), group.results(), context));
        Coding category = order.kind().reportCategory(rules);
        if (category != null) {
            report.addCategory(new CodeableConcept(category));
        }
        CodeableConcept code = CweToCodeableConcept.concept(obr.getUniversalServiceIdentifier(), rules);
        if (code == null) {
            context.warn("OBR-4", "no procedure code; the report's code says only that it is a report");
            code = new CodeableConcept().setText("Report");
        }
        report.setCode(code);
        DateTimeType start = V2Dates.dateTime(obr.getObservationDateTime(), "OBR-7", context);
        DateTimeType end = V2Dates.dateTime(obr.getObservationEndDateTime(), "OBR-8", context);
        if (start != null && end != null) {
            report.getEffectivePeriod().setStartElement(start).setEndElement(end);
        } else if (start != null) {
            report.setEffective(start);
        }
        issued(obr, context, report);
        List<NDL> interpreters = new ArrayList<>(List.of(obr.getPrincipalResultInterpreter()));
        interpreters.addAll(List.of(obr.getAssistantResultInterpreter()));
        people(interpreters, context).forEach(report::addResultsInterpreter);
        List<NDL> performers = new ArrayList<>(List.of(obr.getTechnician()));
        performers.addAll(List.of(obr.getTranscriptionist()));
        people(performers, context).forEach(report::addPerformer);
        return report;
    }

    private static DiagnosticReport.DiagnosticReportStatus status(String code, List<V2Message.Result> results,
            MappingContext context) {
        if (HdToSystem.blank(code)) {
            return statusOfResults(results, context);
        }
        return context.rules().codes().translate("v2-result-status-to-report-status", code.trim())
                .map(DiagnosticReport.DiagnosticReportStatus::fromCode)
                .orElseGet(() -> {
                    context.warn("OBR-25", "result status '" + code.trim() + "' has no DiagnosticReport status at this"
                            + " site (ConceptMap v2-result-status-to-report-status); stored as unknown");
                    return DiagnosticReport.DiagnosticReportStatus.UNKNOWN;
                });
    }

    /**
     * OBR-25 empty, as some senders leave it: the status its results (OBX-11) agree on, by the Observation status
     * ConceptMap (final, preliminary, corrected, ...: the same codes as the report's); results of different stages make
     * the report partial. With a warning, since the report's own status was not sent.
     */
    private static DiagnosticReport.DiagnosticReportStatus statusOfResults(List<V2Message.Result> results,
            MappingContext context) {
        Set<String> statuses = new TreeSet<>();
        for (V2Message.Result result : results) {
            String obx11 = result.obx().getObservationResultStatus().getValue();
            if (!HdToSystem.blank(obx11) && !StudyUidToImagingStudy.namesStudy(result.obx())) {
                context.rules().codes().translate("v2-observation-status-to-observation-status", obx11.trim())
                        .filter(REPORT_STATUSES::contains).ifPresent(statuses::add);
            }
        }
        if (statuses.isEmpty()) {
            context.warn("OBR-25", "no result status (nor one in OBX-11); the report is stored with status unknown");
            return DiagnosticReport.DiagnosticReportStatus.UNKNOWN;
        }
        String status = statuses.size() == 1 ? statuses.iterator().next() : "partial";
        context.warn("OBR-25", "no result status; '" + status + "' taken from the results' OBX-11");
        return DiagnosticReport.DiagnosticReportStatus.fromCode(status);
    }

    /** FHIR's instant needs seconds: a time sent to the minute gets :00; a bare date is not an instant. */
    private static void issued(OBR obr, MappingContext context, DiagnosticReport report) {
        DateTimeType issued = V2Dates.dateTime(obr.getResultsRptStatusChngDateTime(), "OBR-22", context);
        if (issued == null) {
            return;
        }
        if (issued.getPrecision().ordinal() < TemporalPrecisionEnum.MINUTE.ordinal()) {
            context.warn("OBR-22", "'" + issued.getValueAsString() + "' has no time; issued left out");
            return;
        }
        TemporalPrecisionEnum precision = issued.getPrecision() == TemporalPrecisionEnum.MILLI
                ? TemporalPrecisionEnum.MILLI : TemporalPrecisionEnum.SECOND;
        report.setIssuedElement(new InstantType(issued.getValue(), precision, issued.getTimeZone()));
    }

    private static List<Reference> people(List<NDL> fields, MappingContext context) {
        List<Reference> people = new ArrayList<>();
        for (NDL field : fields) {
            Reference person = NdlToPractitioner.practitioner(field, context);
            if (person != null && people.stream().noneMatch(person::equalsDeep)) {
                people.add(person);
            }
        }
        return people;
    }
}
