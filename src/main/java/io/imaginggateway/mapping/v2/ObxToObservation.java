package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.IS;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
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
 *   <tr><td>interpretation</td><td>OBX-8 (table 0078)</td></tr>
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
    private static final Set<String> CODED = Set.of("CE", "CWE", "CNE", "CF");
    private static final Set<String> DATES = Set.of("DT", "DTM", "TS");

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
            context.warn(result.field("3"), "OBX " + obx.getSetIDOBX().getValue() + " does not say what it observes");
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
        Type value = value(result, context);
        if (value != null) {
            observation.setValue(value);
        } else {
            observation.setDataAbsentReason(new CodeableConcept(new Coding(
                    "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                    "N".equals(resultStatus) ? "not-asked" : "unknown", null)));
        }
        for (IS flag : obx.getAbnormalFlags()) {
            if (!HdToSystem.blank(flag.getValue())) {
                observation.addInterpretation(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/v2-0078", flag.getValue().trim(), null)));
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

    private static Type value(V2Message.Result result, MappingContext context) {
        OBX obx = result.obx();
        String where = result.field("5");
        Varies[] values = obx.getObservationValue();
        String type = ObxValues.valueType(obx);
        if (values.length == 0 || HdToSystem.blank(ObxValues.text(values[0]))) {
            return null;
        }
        if (values.length > 1 && !type.equals("ST") && !type.equals("TX") && !type.equals("FT")) {
            context.warn(where, "OBX " + obx.getSetIDOBX().getValue() + " repeats its " + type
                    + " value; only the first is kept");
        }
        Varies first = values[0];
        if (type.equals("NM")) {
            return number(ObxValues.text(first), obx, where, context)
                    .map(Type.class::cast).orElseGet(() -> new StringType(ObxValues.text(first).strip()));
        }
        if (type.equals("SN") && first.getData() instanceof Composite sn) {
            return structuredNumeric(sn, obx, where, context);
        }
        if (CODED.contains(type) && first.getData() instanceof Composite coded) {
            return CweToCodeableConcept.concept(coded, context.rules());
        }
        if (DATES.contains(type)) {
            DateTimeType when = DtmToDateTime.dateTime(ObxValues.firstComponent(first), context.zone());
            if (when != null) {
                return when;
            }
            context.warn(where, "'" + ObxValues.firstComponent(first) + "' is not an HL7 date/time; kept as text");
        }
        return new StringType(Stream.of(values).map(ObxValues::text).map(t -> t == null ? "" : t)
                .collect(Collectors.joining("\n")).strip());
    }

    /** An NM value with the OBX-6 unit; empty (with a warning) when the value is not a number. */
    private static Optional<Quantity> number(String text, OBX obx, String where, MappingContext context) {
        try {
            Quantity quantity = new Quantity().setValue(new BigDecimal(text.strip().replaceFirst("^\\+", "")));
            CE unit = obx.getUnits();
            String unitCode = unit.getIdentifier().getValue();
            String unitText = unit.getText().getValue();
            if (!HdToSystem.blank(unitText) || !HdToSystem.blank(unitCode)) {
                quantity.setUnit((HdToSystem.blank(unitText) ? unitCode : unitText).trim());
            }
            if (!HdToSystem.blank(unitCode)) {
                quantity.setCode(unitCode.trim());
                String system = CweToCodeableConcept.system(unit.getNameOfCodingSystem().getValue(), context.rules());
                quantity.setSystem(system);
            }
            return Optional.of(quantity);
        } catch (NumberFormatException e) {
            context.warn(where, "'" + text.strip() + "' is not a number (OBX-2 NM); kept as text");
            return Optional.empty();
        }
    }

    /** SN: {@code comparator^num1^separator^num2}: {@code <^5} a bound, {@code ^2^-^4} a range, {@code ^1^:^128} a ratio. */
    private static Type structuredNumeric(Composite sn, OBX obx, String where, MappingContext context) {
        String comparator = CweToCodeableConcept.part(sn, 0);
        String first = CweToCodeableConcept.part(sn, 1);
        String separator = CweToCodeableConcept.part(sn, 2);
        String second = CweToCodeableConcept.part(sn, 3);
        String text = ObxValues.text(obx.getObservationValue(0));
        Optional<Quantity> low = HdToSystem.blank(first) ? Optional.empty() : number(first, obx, where, context);
        Optional<Quantity> high = HdToSystem.blank(second) ? Optional.empty() : number(second, obx, where, context);
        String sep = separator == null ? "" : separator.trim();
        if (low.isPresent() && high.isPresent() && sep.equals("-")) {
            return new Range().setLow(low.get()).setHigh(high.get());
        }
        if (low.isPresent() && high.isPresent() && (sep.equals(":") || sep.equals("/"))) {
            return new Ratio().setNumerator(low.get()).setDenominator(high.get());
        }
        if (low.isPresent() && high.isEmpty() && sep.isEmpty()) {
            String c = comparator == null ? "" : comparator.trim();
            if (c.isEmpty() || c.equals("=")) {
                return low.get();
            }
            if (Set.of("<", "<=", ">=", ">").contains(c)) {
                return low.get().setComparator(Quantity.QuantityComparator.fromCode(c));
            }
        }
        return new StringType(text);
    }
}
