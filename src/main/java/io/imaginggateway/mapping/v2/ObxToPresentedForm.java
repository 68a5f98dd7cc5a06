package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;

/**
 * The report as a reader sees it, to DiagnosticReport.presentedForm:
 * <ul>
 *   <li>the text lines — the NTEs right after the OBR, then every OBX of a text type (site setting; TX and FT) with
 *       the NTEs after it — to one {@code text/plain} attachment, in message order, each OBX-5 repetition a line,
 *       formatting escapes resolved ({@code \.br\} a line break). When the lines come under more than one OBX-3
 *       (IHE report sections: History, Findings, Impressions, ...), each section starts with its OBX-3 text as a
 *       heading. Impression and conclusion sections are also the report's {@code conclusion};</li>
 *   <li>an ED OBX (e.g. a base64 PDF: {@code ^AP^PDF^Base64^JVBERi0...}) to an attachment of that media type;</li>
 *   <li>an RP OBX pointing at the report by URL to an attachment with that URL.</li>
 * </ul>
 */
final class ObxToPresentedForm {

    /** OBX-3 codes of the sections that state the report's conclusion. */
    private static final Set<String> CONCLUSION_SECTIONS = Set.of("121072^DCM", "121076^DCM", "19005-8^LN");
    /** ED-3 data subtype -> media type, for senders that name the format instead of a MIME subtype. */
    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("PDF", "application/pdf"), Map.entry("RTF", "application/rtf"), Map.entry("HTML", "text/html"),
            Map.entry("XML", "application/xml"), Map.entry("JPEG", "image/jpeg"), Map.entry("JPG", "image/jpeg"),
            Map.entry("PNG", "image/png"), Map.entry("GIF", "image/gif"), Map.entry("TIFF", "image/tiff"),
            Map.entry("TIF", "image/tiff"), Map.entry("DICOM", "application/dicom"), Map.entry("PLAIN", "text/plain"),
            Map.entry("OCTET-STREAM", "application/octet-stream"));

    private ObxToPresentedForm() {}

    /** Whether an OBX is part of the report's presented form rather than an Observation. */
    static boolean isContent(OBX obx, MappingContext context) {
        String type = ObxValues.valueType(obx);
        return context.rules().reportTextTypes().contains(type) || type.equals("ED") || type.equals("RP");
    }

    static void addTo(DiagnosticReport report, V2Message.OrderGroup group, MappingContext context) {
        text(report, group, context);
        for (V2Message.Result result : group.results()) {
            String type = ObxValues.valueType(result.obx());
            for (Varies value : result.obx().getObservationValue()) {
                if (type.equals("ED") && value.getData() instanceof Composite ed) {
                    report.addPresentedForm(encapsulated(ed, result, context));
                } else if (type.equals("RP") && value.getData() instanceof Composite pointer) {
                    reference(pointer, result, context, report);
                }
            }
        }
    }

    private static void text(DiagnosticReport report, V2Message.OrderGroup group, MappingContext context) {
        List<V2Message.Result> textResults = group.results().stream()
                .filter(r -> context.rules().reportTextTypes().contains(ObxValues.valueType(r.obx())))
                .filter(r -> !StudyUidToImagingStudy.namesStudy(r.obx())).toList();
        Set<String> sections = new LinkedHashSet<>();
        textResults.forEach(r -> sections.add(section(r.obx().getObservationIdentifier())));
        List<String> lines = new ArrayList<>(OrcObrToServiceRequest.notes(group.notes(), null));
        List<String> conclusion = new ArrayList<>();
        String current = null;
        for (V2Message.Result result : textResults) {
            CE observed = result.obx().getObservationIdentifier();
            if (sections.size() > 1 && !section(observed).equals(current)) {
                current = section(observed);
                if (!lines.isEmpty()) {
                    lines.add("");
                }
                String heading = heading(observed);
                if (!heading.isEmpty()) {
                    lines.add(heading);
                }
            }
            List<String> own = new ArrayList<>();
            if (result.obx().getObservationValueReps() == 0) {
                own.add("");
            }
            for (Varies value : result.obx().getObservationValue()) {
                String text = ObxValues.text(value);
                own.addAll(List.of((text == null ? "" : text).split("\n", -1)));
            }
            own.addAll(OrcObrToServiceRequest.notes(result.notes(), null));
            lines.addAll(own);
            if (CONCLUSION_SECTIONS.contains(section(observed))) {
                conclusion.addAll(own);
            }
        }
        String text = String.join("\n", lines).strip();
        if (!text.isEmpty()) {
            Attachment attachment = new Attachment().setContentType("text/plain; charset=utf-8")
                    .setData(text.getBytes(StandardCharsets.UTF_8)).setTitle("Report text");
            if (report.hasIssued()) {
                attachment.setCreationElement(new DateTimeType(report.getIssued(),
                        report.getIssuedElement().getPrecision(), report.getIssuedElement().getTimeZone()));
            }
            report.addPresentedForm(attachment);
        }
        String conclusionText = String.join("\n", conclusion).strip();
        if (!conclusionText.isEmpty()) {
            report.setConclusion(conclusionText);
        }
    }

    /** An ED value: {@code source^type of data^data subtype^encoding^data}. */
    private static Attachment encapsulated(Composite ed, V2Message.Result result, MappingContext context) {
        OBX obx = result.obx();
        String subtype = CweToCodeableConcept.part(ed, 2);
        String encoding = CweToCodeableConcept.part(ed, 3);
        String data = CweToCodeableConcept.part(ed, 4);
        if (HdToSystem.blank(data)) {
            throw new MappingException(MappingException.Problem.REQUIRED_MISSING, result.field("5.5"),
                    "OBX " + obx.getSetIDOBX().getValue() + " is an ED without data");
        }
        byte[] bytes = decode(data, encoding, result);
        String mediaType = mediaType(CweToCodeableConcept.part(ed, 1), subtype);
        if (mediaType.equals("application/pdf") && !new String(bytes, 0, Math.min(5, bytes.length), StandardCharsets.ISO_8859_1).equals("%PDF-")) {
            context.warn(result.field("5"), "OBX " + obx.getSetIDOBX().getValue() + " says PDF but its data does not start with %PDF-");
        }
        Attachment attachment = new Attachment().setContentType(mediaType).setData(bytes);
        String title = obx.getObservationIdentifier().getText().getValue();
        attachment.setTitle(HdToSystem.blank(title) ? "Report" : V2Text.plain(title).strip());
        return attachment;
    }

    private static byte[] decode(String data, String encoding, V2Message.Result result) {
        String kind = encoding == null ? "BASE64" : encoding.trim().toUpperCase();
        try {
            return switch (kind) {
                case "A" -> data.getBytes(StandardCharsets.UTF_8);
                case "HEX" -> HexFormat.of().parseHex(data.replaceAll("\\s", ""));
                default -> Base64.getDecoder().decode(data.replaceAll("\\s", ""));
            };
        } catch (IllegalArgumentException e) {
            throw new MappingException(MappingException.Problem.INVALID_VALUE, result.field("5.5"),
                    "OBX " + result.obx().getSetIDOBX().getValue() + ": the " + (kind.equals("HEX") ? "hexadecimal" : "base64")
                            + " data of the ED cannot be decoded (" + e.getMessage() + ")");
        }
    }

    /** From ED-2/RP-3 type of data and ED-3/RP-4 subtype; a subtype that is already a media type is kept. */
    private static String mediaType(String type, String subtype) {
        if (!HdToSystem.blank(subtype) && subtype.contains("/")) {
            return subtype.trim().toLowerCase();
        }
        String known = subtype == null ? null : MEDIA_TYPES.get(subtype.trim().toUpperCase());
        if (known != null) {
            return known;
        }
        return type != null && type.trim().equalsIgnoreCase("TEXT") ? "text/plain" : "application/octet-stream";
    }

    /** An RP value: {@code pointer^application^type of data^subtype}; only a URL can be followed by a reader. */
    private static void reference(Composite pointer, V2Message.Result result, MappingContext context,
            DiagnosticReport report) {
        String url = CweToCodeableConcept.part(pointer, 0);
        if (HdToSystem.blank(url) || !url.contains("://")) {
            context.warn(result.field("5"), "reference pointer '" + url + "' is not a URL; left out");
            return;
        }
        report.addPresentedForm(new Attachment().setUrl(url.strip())
                .setContentType(mediaType(CweToCodeableConcept.part(pointer, 2), CweToCodeableConcept.part(pointer, 3))));
    }

    private static String section(CE observed) {
        String code = observed.getIdentifier().getValue();
        return HdToSystem.blank(code) ? "text:" + observed.getText().getValue()
                : code.trim() + "^" + (observed.getNameOfCodingSystem().getValue() == null ? "" : observed.getNameOfCodingSystem().getValue().trim());
    }

    private static String heading(CE observed) {
        String text = HdToSystem.blank(observed.getText().getValue()) ? observed.getIdentifier().getValue()
                : observed.getText().getValue();
        return HdToSystem.blank(text) ? "" : V2Text.plain(text).strip();
    }
}
