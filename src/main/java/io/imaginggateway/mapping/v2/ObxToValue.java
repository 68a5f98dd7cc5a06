package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import io.imaginggateway.mapping.MappingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;

/**
 * OBX-5 to Observation.value[x], by OBX-2: NM (+ OBX-6 units) Quantity; SN Quantity with comparator, Range or Ratio;
 * CE/CWE/CNE CodeableConcept; DT/DTM/TS dateTime; anything else string.
 * <ul>
 *   <li>A number sent with a comparator ({@code <0.10}, {@code >=5}, as NM or as SN written in one component) is a
 *       Quantity with that comparator, never text.</li>
 *   <li>Units: a unit that is a valid UCUM expression ({@code mm}, {@code mg/dL}) gets the UCUM system and code;
 *       any other unit ({@code mmHg}, {@code sec}, a local code) is kept as the unit's text alone, since a code without
 *       a system is not valid FHIR (qty-3) and a system the sender did not mean would be wrong.</li>
 * </ul>
 * Null when OBX-5 is empty.
 */
final class ObxToValue {

    static final String UCUM = "http://unitsofmeasure.org";
    private static final Set<String> CODED = Set.of("CE", "CWE", "CNE", "CF");
    private static final Set<String> DATES = Set.of("DT", "DTM", "TS");
    private static final Pattern COMPARED = Pattern.compile("(<=|>=|<|>|=)?\\s*([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))");
    private static final UcumEssenceService UCUM_UNITS = ucum();

    private ObxToValue() {}

    static Type value(V2Message.Result result, MappingContext context) {
        OBX obx = result.obx();
        String where = result.field("5");
        Varies[] values = obx.getObservationValue();
        String type = ObxValues.valueType(obx);
        if (values.length == 0 || HdToSystem.blank(ObxValues.text(values[0]))) {
            return null;
        }
        if (values.length > 1 && !type.equals("ST") && !type.equals("TX") && !type.equals("FT")) {
            context.warn(where, result.label() + " repeats its " + type + " value; only the first is kept");
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

    /** A number, optionally with a comparator in front, and the OBX-6 unit; empty (with a warning) when not a number. */
    private static Optional<Quantity> number(String text, OBX obx, String where, MappingContext context) {
        Matcher m = COMPARED.matcher(text.strip());
        if (!m.matches()) {
            context.warn(where, "'" + text.strip() + "' is not a number (OBX-2 " + ObxValues.valueType(obx) + "); kept as text");
            return Optional.empty();
        }
        Quantity quantity = new Quantity().setValue(new BigDecimal(m.group(2).replaceFirst("^\\+", "")));
        if (m.group(1) != null && !m.group(1).equals("=")) {
            quantity.setComparator(Quantity.QuantityComparator.fromCode(m.group(1)));
        }
        unit(quantity, obx.getUnits());
        return Optional.of(quantity);
    }

    private static void unit(Quantity quantity, CE units) {
        String code = units.getIdentifier().getValue() == null ? null : units.getIdentifier().getValue().trim();
        String text = units.getText().getValue() == null ? null : units.getText().getValue().trim();
        if (!HdToSystem.blank(code) && isUcum(code)) {
            quantity.setSystem(UCUM).setCode(code).setUnit(HdToSystem.blank(text) ? code : text);
        } else if (!HdToSystem.blank(text) || !HdToSystem.blank(code)) {
            quantity.setUnit(HdToSystem.blank(text) ? code : text);
        }
    }

    /** Whether a unit is a valid UCUM expression (case-sensitive, as UCUM is). */
    static boolean isUcum(String unit) {
        try {
            return UCUM_UNITS.validate(unit) == null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * SN: {@code comparator^num1^separator^num2}: {@code <^5} a bound, {@code ^2^-^4} a range, {@code ^1^:^128} a
     * ratio; {@code <0.10} in the first component alone, as some senders write it, a bound too.
     */
    private static Type structuredNumeric(Composite sn, OBX obx, String where, MappingContext context) {
        String comparator = CweToCodeableConcept.part(sn, 0);
        String first = CweToCodeableConcept.part(sn, 1);
        String separator = CweToCodeableConcept.part(sn, 2);
        String second = CweToCodeableConcept.part(sn, 3);
        String text = ObxValues.text(obx.getObservationValue(0));
        if (HdToSystem.blank(first) && HdToSystem.blank(second) && !HdToSystem.blank(comparator)) {
            return number(comparator, obx, where, context).map(Type.class::cast).orElseGet(() -> new StringType(text));
        }
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

    private static UcumEssenceService ucum() {
        try (InputStream essence = ObxToValue.class.getResourceAsStream("/ucum-essence.xml")) {
            return new UcumEssenceService(essence);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read UCUM's definitions (ucum-essence.xml)", e);
        } catch (UcumException e) {
            throw new IllegalStateException("Cannot read UCUM's definitions (ucum-essence.xml)", e);
        }
    }
}
