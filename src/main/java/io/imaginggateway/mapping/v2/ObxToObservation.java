package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.IS;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;

/**
 * A coded, numeric or other discrete OBX of a report to an Observation (V2-to-FHIR IG OBX map):
 * <table>
 *   <tr><td>identifier</td><td>the report's order number + OBX-3 + OBX-4 (see {@link #identity})</td></tr>
 *   <tr><td>status</td><td>OBX-11 (ConceptMap {@code v2-observation-status-to-observation-status}), else the report's</td></tr>
 *   <tr><td>code</td><td>OBX-3, every coding</td></tr>
 *   <tr><td>value</td><td>OBX-5 by OBX-2: NM + OBX-6 Quantity; SN Quantity with comparator, Range or Ratio;
 *       CE/CWE/CNE CodeableConcept; DT/DTM/TS dateTime; anything else string</td></tr>
 *   <tr><td>dataAbsentReason</td><td>no value: not-asked for OBX-11 N, else unknown</td></tr>
 *   <tr><td>interpretation</td><td>OBX-8 (table 0078, ConceptMap to ObservationInterpretation; unknown flags as
 *       text)</td></tr>
 *   <tr><td>referenceRange</td><td>OBX-7 as text</td></tr>
 *   <tr><td>effective</td><td>OBX-14, else the report's effective time</td></tr>
 *   <tr><td>performer</td><td>OBX-16</td></tr>
 *   <tr><td>method</td><td>OBX-17</td></tr>
 *   <tr><td>note</td><td>the NTEs after the OBX</td></tr>
 *   <tr><td>category</td><td>the kind of service ({@link ServiceKind}: imaging, laboratory, ...)</td></tr>
 *   <tr><td>subject, encounter, basedOn, derivedFrom</td><td>the report's; its studies</td></tr>
 * </table>
 */
final class ObxToObservation {

    /** Identifies an Observation made from an OBX; see {@link #identity}. */
    static final String OBSERVATION_ID_SYSTEM = "http://imaginggateway.io/fhir/NamingSystem/v2-result";
    static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    private ObxToObservation() {}

    static Observation observation(V2Message.Result result, DiagnosticReport report, ServiceKind kind,
            List<Reference> studies, MappingContext context) {
        OBX obx = result.obx();
        MappingRules rules = context.rules();
        Observation observation = new Observation();
        String resultStatus = obx.getObservationResultStatus().getValue();
        observation.setStatus(status(resultStatus, report, result, context));
        observation.addCategory(new CodeableConcept(kind.observationCategory()));
        CodeableConcept code = CweToCodeableConcept.concept(obx.getObservationIdentifier(), rules);
        if (code == null) {
            context.warn(result.field("3"), result.label() + " does not say what it observes");
            code = new CodeableConcept().setText("Unidentified result");
        }
        observation.setCode(code);
        observation.setSubject(report.getSubject()).setEncounter(report.hasEncounter() ? report.getEncounter() : null);
        observation.setBasedOn(report.getBasedOn().stream().map(Reference::copy).toList());
        studies.forEach(study -> observation.addDerivedFrom(study.copy()));
        DateTimeType effective = V2Dates.dateTime(obx.getDateTimeOfTheObservation(), result.field("14"), context);
        if (effective != null) {
            observation.setEffective(effective);
        } else if (report.hasEffective()) {
            observation.setEffective(report.getEffective().copy());
        }
        if (report.hasIssued()) {
            observation.setIssuedElement(report.getIssuedElement().copy());
        }
        Type value = ObxToValue.value(result, context);
        if (value != null) {
            observation.setValue(value);
        } else {
            observation.setDataAbsentReason(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "N".equals(resultStatus) ? "not-asked" : "unknown", null)));
        }
        for (IS flag : obx.getAbnormalFlags()) {
            CodeableConcept interpretation = interpretation(flag, context);
            if (interpretation != null) {
                observation.addInterpretation(interpretation);
            }
        }
        String range = obx.getReferencesRange().getValue();
        if (!HdToSystem.blank(range)) {
            observation.addReferenceRange().setText(V2Text.plain(range).strip());
        }
        for (XCN person : obx.getResponsibleObserver()) {
            Reference performer = XcnToPractitioner.practitioner(person, context);
            if (performer != null) {
                observation.addPerformer(performer);
            }
        }
        if (obx.getObservationMethodReps() > 0) {
            observation.setMethod(CweToCodeableConcept.concept(obx.getObservationMethod(0), rules));
        }
        OrcObrToServiceRequest.notes(result.notes(), null).forEach(text -> observation.addNote().setText(text));
        return observation;
    }

    /**
     * Whether a report text OBX (TX, FT) carries an abnormal flag other than N: its lines then also become an
     * Observation with that interpretation, so that a critical finding (AA, HH, LL) is never lost in the text.
     */
    static boolean flagged(OBX obx) {
        for (IS flag : obx.getAbnormalFlags()) {
            if (!HdToSystem.blank(flag.getValue()) && !flag.getValue().trim().equals("N")) {
                return true;
            }
        }
        return false;
    }

    /**
     * An OBX-8 flag: the code (table 0078, and the v2.7+ CWE form {@code AA^Critical abnormal^HL70078}) to the
     * ObservationInterpretation code R4 binds (ConceptMap {@code v2-abnormal-flag-to-interpretation}); a code it does not
     * know is kept in its own coding system when one was sent, and always as text.
     */
    private static CodeableConcept interpretation(IS flag, MappingContext context) {
        if (HdToSystem.blank(flag.getValue())) {
            return null;
        }
        String code = flag.getValue().trim();
        String display = extraComponent(flag, 0);
        String system = extraComponent(flag, 1);
        return context.rules().codes().translate("v2-abnormal-flag-to-interpretation", code)
                .map(known -> new CodeableConcept(new Coding(INTERPRETATION, known, display)))
                .orElseGet(() -> {
                    CodeableConcept kept = new CodeableConcept().setText(display != null ? code + " " + display : code);
                    if (system != null) {
                        kept.addCoding(CweToCodeableConcept.coding(code, display, system, context.rules()));
                    }
                    return kept;
                });
    }

    /** Component n+2 of a field the v2.5.1 model reads as one value (OBX-8 is CWE from v2.7); null when absent. */
    private static String extraComponent(IS field, int n) {
        if (field.getExtraComponents().numComponents() <= n
                || !(field.getExtraComponents().getComponent(n).getData() instanceof Primitive primitive)) {
            return null;
        }
        return HdToSystem.blank(primitive.getValue()) ? null : V2Text.plain(primitive.getValue()).trim();
    }

    /**
     * The Observation's business identifiers: for each of the report's order numbers, {@code <type> <system>|<value>
     * <OBX-3 code>^<coding system> <OBX-4 sub-ID>}, plus {@code #n} for the n-th OBX with the same code and sub-ID.
     * Stable across the preliminary, final and corrected report, so each version updates the same Observation.
     */
    static List<Identifier> identity(DiagnosticReport report, OBX obx, int repeat) {
        String suffix = " " + observed(obx) + (repeat > 1 ? "#" + repeat : "");
        return report.getIdentifier().stream()
                .map(order -> new Identifier().setSystem(OBSERVATION_ID_SYSTEM).setValue(
                        order.getType().getCodingFirstRep().getCode() + " " + order.getSystem() + "|" + order.getValue() + suffix))
                .toList();
    }

    /** What an OBX observes within its report: {@code <OBX-3 code>^<coding system> <OBX-4 sub-ID if any>}. */
    static String observed(OBX obx) {
        CE code = obx.getObservationIdentifier();
        String observed = Stream.of(code.getIdentifier().getValue(), code.getNameOfCodingSystem().getValue())
                .map(part -> part == null ? "" : part.trim()).collect(Collectors.joining("^"));
        if (observed.equals("^")) {
            observed = code.getText().getValue() == null ? "" : code.getText().getValue().trim();
        }
        String subId = obx.getObservationSubID().getValue();
        return HdToSystem.blank(subId) ? observed : observed + " " + subId.trim();
    }

    private static Observation.ObservationStatus status(String resultStatus, DiagnosticReport report,
            V2Message.Result result, MappingContext context) {
        if (!HdToSystem.blank(resultStatus)) {
            return context.rules().codes().translate("v2-observation-status-to-observation-status", resultStatus.trim())
                    .map(Observation.ObservationStatus::fromCode)
                    .orElseGet(() -> {
                        context.warn(result.field("11"), "result status '" + resultStatus.trim() + "' is not known; the report's status is used");
                        return reportStatus(report);
                    });
        }
        return reportStatus(report);
    }

    private static Observation.ObservationStatus reportStatus(DiagnosticReport report) {
        return switch (report.getStatus()) {
            case REGISTERED -> Observation.ObservationStatus.REGISTERED;
            case PARTIAL, PRELIMINARY -> Observation.ObservationStatus.PRELIMINARY;
            case FINAL -> Observation.ObservationStatus.FINAL;
            case AMENDED, APPENDED -> Observation.ObservationStatus.AMENDED;
            case CORRECTED -> Observation.ObservationStatus.CORRECTED;
            case CANCELLED -> Observation.ObservationStatus.CANCELLED;
            case ENTEREDINERROR -> Observation.ObservationStatus.ENTEREDINERROR;
            default -> Observation.ObservationStatus.UNKNOWN;
        };
    }
}
