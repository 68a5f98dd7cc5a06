package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.segment.IPC;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import io.imaginggateway.mapping.MappingRules;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * What kind of service an order, its report and its results are — imaging, laboratory, procedure, therapy or exam
 * (the observation-category codes) — read from the message, so that a lab order that comes down the same feed is not
 * labelled as imaging. In order:
 * <ol>
 *   <li>a modality: IPC-5, or OBR-24 where the site reads it as the modality and it is a DICOM modality defined term
 *       (ConceptMap {@code v2-obr24-to-dicom-modality}); an IPC segment, or a Study Instance UID by a site field rule (ZDS-1); -> imaging;</li>
 *   <li>a diagnostic service section (table 0074) in OBR-24 (ConceptMap {@code v2-service-section-to-category}: RAD,
 *       CT, US -> imaging; LAB, HM, CH, MB -> laboratory; EC, PF -> procedure; ...);</li>
 *   <li>the procedure's coding system (OBR-4): DICOM, RadLex -> imaging; CPT 70010-79999 imaging, 80047-89398
 *       laboratory;</li>
 *   <li>the site's {@code default-category}.</li>
 * </ol>
 * Only a DICOM defined term becomes a coding in the DCM system; an OBR-24 value that is neither a modality nor a
 * service section is kept as a local code ({@link #LOCAL_OBR24}).
 *
 * @param code     the kind, an observation-category code
 * @param modality the DICOM modality (DCM coding), or null
 * @param section  the diagnostic service section (v2-0074 coding), or null
 * @param local    OBR-24 when it is neither, as a local coding; or null
 */
public record ServiceKind(String code, Coding modality, Coding section, Coding local) {

    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074";
    static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String LOCAL_OBR24 = "http://imaginggateway.io/fhir/CodeSystem/obr-24";
    static final String SNOMED = "http://snomed.info/sct";
    /** ServiceRequest.category by kind (SNOMED CT procedure categories; imaging and laboratory from R4's example set). */
    private static final Map<String, Coding> ORDER_CATEGORY = Map.of(
            "imaging", new Coding(SNOMED, "363679005", "Imaging"),
            "laboratory", new Coding(SNOMED, "108252007", "Laboratory procedure"),
            "procedure", new Coding(SNOMED, "103693007", "Diagnostic procedure"),
            "therapy", new Coding(SNOMED, "277132007", "Therapeutic procedure"),
            "exam", new Coding(SNOMED, "5880005", "Physical examination"));
    private static final Set<String> IMAGING_CODING_SYSTEMS = Set.of(DCM, "http://radlex.org");
    private static final String CPT = "http://www.ama-assn.org/go/cpt";

    static ServiceKind of(V2Message.OrderGroup group, MappingRules rules) {
        OBR obr = group.obr();
        IPC ipc = group.procedures().isEmpty() ? null : group.procedures().get(0);
        Coding modality = ipc == null ? null : ipcModality(ipc.getModality(), rules);
        Coding section = null;
        Coding local = null;
        String obr24 = obr == null || HdToSystem.blank(obr.getDiagnosticServSectID().getValue()) ? null
                : obr.getDiagnosticServSectID().getValue().trim();
        if (obr24 != null) {
            String dicom = rules.obr24() == MappingRules.Obr24Meaning.MODALITY
                    ? rules.codes().translate("v2-obr24-to-dicom-modality", obr24).orElse(null) : null;
            if (dicom != null) {
                modality = modality != null ? modality : new Coding(DCM, dicom, null);
            } else if (rules.obr24() == MappingRules.Obr24Meaning.SERVICE_SECTION
                    || rules.codes().translate("v2-service-section-to-category", obr24).isPresent()) {
                section = new Coding(V2_0074, obr24, null);
            } else {
                local = new Coding(LOCAL_OBR24, obr24, null);
            }
        }
        String kind;
        if (modality != null || ipc != null || !SiteFieldRules.studyInstanceUids(group, rules).isEmpty()) {
            kind = "imaging";
        } else if (section != null && rules.codes().translate("v2-service-section-to-category", section.getCode()).isPresent()) {
            kind = rules.codes().translate("v2-service-section-to-category", section.getCode()).get();
        } else {
            kind = byCodingSystem(obr == null ? null : CweToCodeableConcept.concept(obr.getUniversalServiceIdentifier(), rules));
            kind = kind != null ? kind : rules.defaultCategory();
        }
        return new ServiceKind(kind, modality, section, local);
    }

    /** IPC-5: a DICOM defined term (sent in DCM or without a system) in the DCM system; anything else as sent. */
    private static Coding ipcModality(CE ipc5, MappingRules rules) {
        String code = ipc5.getIdentifier().getValue();
        if (HdToSystem.blank(code)) {
            return null;
        }
        String system = ipc5.getNameOfCodingSystem().getValue();
        String dicom = HdToSystem.blank(system) || system.trim().equalsIgnoreCase("DCM")
                ? rules.codes().translate("v2-obr24-to-dicom-modality", code.trim()).orElse(null) : null;
        return dicom != null ? CweToCodeableConcept.coding(dicom, ipc5.getText().getValue(), "DCM", rules)
                : CweToCodeableConcept.coding(code, ipc5.getText().getValue(), HdToSystem.blank(system) ? "L" : system, rules);
    }

    private static String byCodingSystem(CodeableConcept procedure) {
        if (procedure == null) {
            return null;
        }
        for (Coding coding : procedure.getCoding()) {
            if (IMAGING_CODING_SYSTEMS.contains(coding.getSystem())) {
                return "imaging";
            }
            if (CPT.equals(coding.getSystem()) && coding.getCode().matches("\\d{5}")) {
                int cpt = Integer.parseInt(coding.getCode());
                if (cpt >= 70010 && cpt <= 79999) {
                    return "imaging";
                }
                if (cpt >= 80047 && cpt <= 89398) {
                    return "laboratory";
                }
            }
        }
        return null;
    }

    /** ServiceRequest.category: the kind, with the modality, service section or local OBR-24 code. */
    CodeableConcept orderCategory() {
        CodeableConcept category = new CodeableConcept(ORDER_CATEGORY.get(code).copy());
        for (Coding coding : new Coding[] {modality, section, local}) {
            if (coding != null) {
                category.addCoding(coding.copy());
            }
        }
        return category;
    }

    /**
     * DiagnosticReport.category: the service section when OBR-24 names one; else the site's report category for
     * imaging, LAB for laboratory; null for other kinds (nothing more exact is known).
     */
    Coding reportCategory(MappingRules rules) {
        if (section != null) {
            return section.copy();
        }
        return switch (code) {
            case "imaging" -> rules.reportCategory().copy();
            case "laboratory" -> new Coding(V2_0074, "LAB", "Laboratory");
            default -> null;
        };
    }

    /** Observation.category: the kind itself. */
    Coding observationCategory() {
        return new Coding(OBSERVATION_CATEGORY, code, Character.toUpperCase(code.charAt(0)) + code.substring(1));
    }
}
