package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import io.imaginggateway.mapping.MappingContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
 *   <li>an ED OBX (a base64 PDF: {@code ^AP^PDF^Base64^JVBERi0...}, a CDA document as text) and an RP OBX pointing at
 *       the report by URL to an attachment ({@link ObxToAttachment}).</li>
 * </ul>
 */
final class ObxToPresentedForm {

    /** OBX-3 codes of the sections that state the report's conclusion. */
    private static final Set<String> CONCLUSION_SECTIONS = Set.of("121072^DCM", "121076^DCM", "19005-8^LN");

    private ObxToPresentedForm() {}

    /** Whether an OBX is part of the report's presented form rather than an Observation. */
    static boolean isContent(OBX obx, MappingContext context) {
        String type = ObxValues.valueType(obx);
        return isText(obx, context) || type.equals("ED") || type.equals("RP");
    }

    /** Whether an OBX is a line of the report's text (its value type is one of the site's report text types). */
    static boolean isText(OBX obx, MappingContext context) {
        return context.rules().reportTextTypes().contains(ObxValues.valueType(obx));
    }

    static void addTo(DiagnosticReport report, V2Message.OrderGroup group, MappingContext context) {
        text(report, group, context);
        for (V2Message.Result result : group.results()) {
            String type = ObxValues.valueType(result.obx());
            for (Varies value : result.obx().getObservationValue()) {
                Attachment attachment = null;
                if (type.equals("ED") && value.getData() instanceof Composite ed) {
                    attachment = ObxToAttachment.encapsulated(ed, result, context);
                } else if (type.equals("RP") && value.getData() instanceof Composite pointer) {
                    attachment = ObxToAttachment.pointer(pointer, result, context);
                }
                if (attachment != null) {
                    report.addPresentedForm(attachment);
                }
            }
        }
    }

    private static void text(DiagnosticReport report, V2Message.OrderGroup group, MappingContext context) {
        List<V2Message.Result> textResults = group.results().stream()
                .filter(r -> isText(r.obx(), context))
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
