package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.datatype.FT;
import ca.uhn.hl7v2.model.v251.datatype.TS;
import ca.uhn.hl7v2.model.v251.segment.IPC;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.TQ1;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import io.imaginggateway.mapping.MappingRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * One ORC/OBR group (with its TQ1, IPC and NTE) to a ServiceRequest, following the V2-to-FHIR IG ORC and OBR maps and
 * IHE Radiology Scheduled Workflow:
 * <table>
 *   <tr><td>identifier PLAC / FILL</td><td>ORC-2 else OBR-2 / ORC-3 else OBR-3 (EI namespace -> system)</td></tr>
 *   <tr><td>identifier ACSN</td><td>IPC-1 (with its issuer) else OBR-18; system from the site when no issuer</td></tr>
 *   <tr><td>identifier requested procedure / scheduled step</td><td>IPC-2 else OBR-19 / IPC-4 else OBR-20</td></tr>
 *   <tr><td>requisition</td><td>ORC-4</td></tr>
 *   <tr><td>status</td><td>ORC-5 else ORC-1 (ConceptMaps)</td></tr>
 *   <tr><td>intent</td><td>order; reflex-order when OBR-11 is G</td></tr>
 *   <tr><td>category</td><td>Imaging, and the modality (IPC-5, else OBR-24 by site rule) or service section</td></tr>
 *   <tr><td>priority</td><td>TQ1-9 else ORC-7.6 else OBR-27.6 (ConceptMap)</td></tr>
 *   <tr><td>code</td><td>OBR-4, every coding</td></tr>
 *   <tr><td>occurrence</td><td>TQ1-7/8, else ORC-7.4, OBR-27.4, OBR-36, OBR-6</td></tr>
 *   <tr><td>authoredOn</td><td>ORC-9 of a new order (ORC-1 NW); later controls carry a change time, not authoring</td></tr>
 *   <tr><td>requester</td><td>ORC-12 else OBR-16</td></tr>
 *   <tr><td>reasonCode</td><td>OBR-31</td></tr>
 * </table>
 * The order's notes ({@link #notes}: NTE-3, OBR-13) are added by order messages only: in a result message they
 * annotate the report.
 * Left out: ORC-10/11 (entered/verified by), OBR-15 specimen, billing segments, DG1.
 * The placer, filler and accession numbers are the order's identity: any one of them finds it again.
 */
public final class OrcObrToServiceRequest {

    /** Local identifier types for the imaging procedure keys, which v2-0203 does not have. */
    public static final String IDENTIFIER_TYPE = "http://imaginggateway.io/fhir/CodeSystem/identifier-type";
    static final String SNOMED = "http://snomed.info/sct";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

    private OrcObrToServiceRequest() {}

    /** The mapped order, its identity (placer, filler, accession) and its accession number (null if none). */
    public record Order(ServiceRequest request, List<Identifier> identity, Identifier accession, Coding modality) {}

    public static Order serviceRequest(V2Message.OrderGroup group, Reference patient, Reference encounter,
            MappingContext context) {
        MappingRules rules = context.rules();
        ORC orc = group.orc();
        OBR obr = group.obr();
        IPC ipc = group.procedures().isEmpty() ? null : group.procedures().get(0);
        ServiceRequest request = new ServiceRequest().setSubject(patient).setEncounter(encounter);

        Identifier placer = first(ei(orc == null ? null : orc.getPlacerOrderNumber(), "PLAC", rules),
                ei(obr == null ? null : obr.getPlacerOrderNumber(), "PLAC", rules));
        Identifier filler = first(ei(orc == null ? null : orc.getFillerOrderNumber(), "FILL", rules),
                ei(obr == null ? null : obr.getFillerOrderNumber(), "FILL", rules));
        Identifier accession = accession(ipc, obr, rules);
        List<Identifier> identity = Stream.of(placer, filler, accession).filter(i -> i != null).toList();
        if (identity.isEmpty()) {
            throw new MappingException(MappingException.Problem.REQUIRED_MISSING, orc != null ? "ORC-2" : "OBR-2",
                    "The order has no placer (ORC-2/OBR-2), filler (ORC-3/OBR-3) or accession number (OBR-18/IPC-1)");
        }
        identity.forEach(request::addIdentifier);
        procedureKeys(group, obr, rules).forEach(request::addIdentifier);
        if (orc != null && !HdToSystem.blank(orc.getPlacerGroupNumber().getEntityIdentifier().getValue())) {
            request.setRequisition(EiToIdentifier.identifier(orc.getPlacerGroupNumber(), null, rules));
        }

        request.setStatus(status(orc, rules));
        request.setIntent(obr != null && "G".equals(obr.getSpecimenActionCode().getValue())
                ? ServiceRequest.ServiceRequestIntent.REFLEXORDER : ServiceRequest.ServiceRequestIntent.ORDER);
        Coding modality = modality(ipc, obr, rules);
        CodeableConcept category = new CodeableConcept(new Coding(SNOMED, "363679005", "Imaging"));
        if (modality != null) {
            category.addCoding(modality);
        }
        request.addCategory(category);
        priority(group, orc, obr, rules).ifPresent(code -> request.setPriority(ServiceRequest.ServiceRequestPriority.fromCode(code)));
        if (obr != null) {
            request.setCode(CweToCodeableConcept.concept(obr.getUniversalServiceIdentifier(), rules));
            for (CE reason : obr.getReasonForStudy()) {
                CodeableConcept concept = CweToCodeableConcept.concept(reason, rules);
                if (concept != null) {
                    request.addReasonCode(concept);
                }
            }
        }
        occurrence(group, orc, obr, context, request);
        if (orc != null && "NW".equals(orc.getOrderControl().getValue())) {
            request.setAuthoredOnElement(V2Dates.dateTime(orc.getDateTimeOfTransaction(), "ORC-9", context));
        }
        Reference requester = orc == null || orc.getOrderingProviderReps() == 0 ? null
                : XcnToPractitioner.practitioner(orc.getOrderingProvider(0), context);
        if (requester == null && obr != null && obr.getOrderingProviderReps() > 0) {
            requester = XcnToPractitioner.practitioner(obr.getOrderingProvider(0), context);
        }
        request.setRequester(requester);
        return new Order(request, identity, accession, modality);
    }

    private static Identifier accession(IPC ipc, OBR obr, MappingRules rules) {
        if (ipc != null && !HdToSystem.blank(ipc.getAccessionIdentifier().getEntityIdentifier().getValue())) {
            Identifier accession = EiToIdentifier.identifier(ipc.getAccessionIdentifier(), "ACSN", rules);
            if (accession.getSystem() == null) {
                accession.setSystem(rules.accessionSystem());
            }
            return accession;
        }
        String obr18 = obr == null ? null : obr.getPlacerField1().getValue();
        return HdToSystem.blank(obr18) ? null : HdToSystem.identifier(V2Text.plain(obr18), rules.accessionSystem(), "ACSN");
    }

    /** Requested Procedure ID and Scheduled Procedure Step ID(s): IPC-2/IPC-4 of every IPC, else OBR-19/OBR-20. */
    private static List<Identifier> procedureKeys(V2Message.OrderGroup group, OBR obr, MappingRules rules) {
        List<Identifier> keys = new ArrayList<>();
        for (IPC ipc : group.procedures()) {
            addKey(keys, EiToIdentifier.identifier(ipc.getRequestedProcedureID(), null, rules), "requested-procedure-id");
            addKey(keys, EiToIdentifier.identifier(ipc.getScheduledProcedureStepID(), null, rules), "scheduled-procedure-step-id");
        }
        if (keys.isEmpty() && obr != null) {
            addKey(keys, plain(obr.getPlacerField2().getValue()), "requested-procedure-id");
            addKey(keys, plain(obr.getFillerField1().getValue()), "scheduled-procedure-step-id");
        }
        return keys;
    }

    private static Identifier plain(String value) {
        return HdToSystem.blank(value) ? null : new Identifier().setValue(V2Text.plain(value).trim());
    }

    private static void addKey(List<Identifier> keys, Identifier key, String type) {
        if (key != null && keys.stream().noneMatch(k -> k.getValue().equals(key.getValue()) && k.getType().getCodingFirstRep().getCode().equals(type))) {
            key.getType().addCoding().setSystem(IDENTIFIER_TYPE).setCode(type);
            keys.add(key);
        }
    }

    private static ServiceRequest.ServiceRequestStatus status(ORC orc, MappingRules rules) {
        if (orc == null) {
            return ServiceRequest.ServiceRequestStatus.UNKNOWN;
        }
        return rules.codes().translate("v2-order-status-to-request-status", orc.getOrderStatus().getValue())
                .or(() -> rules.codes().translate("v2-order-control-to-request-status", orc.getOrderControl().getValue()))
                .map(ServiceRequest.ServiceRequestStatus::fromCode)
                .orElse(ServiceRequest.ServiceRequestStatus.UNKNOWN);
    }

    private static Coding modality(IPC ipc, OBR obr, MappingRules rules) {
        if (ipc != null && !HdToSystem.blank(ipc.getModality().getIdentifier().getValue())) {
            CE modality = ipc.getModality();
            return CweToCodeableConcept.coding(modality.getIdentifier().getValue(), modality.getText().getValue(),
                    HdToSystem.blank(modality.getNameOfCodingSystem().getValue()) ? "DCM" : modality.getNameOfCodingSystem().getValue(), rules);
        }
        String section = obr == null ? null : obr.getDiagnosticServSectID().getValue();
        if (HdToSystem.blank(section)) {
            return null;
        }
        return rules.obr24() == MappingRules.Obr24Meaning.MODALITY
                ? new Coding(DCM, section.trim(), null)
                : new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", section.trim(), null);
    }

    private static Optional<String> priority(V2Message.OrderGroup group, ORC orc, OBR obr, MappingRules rules) {
        List<String> candidates = new ArrayList<>();
        for (TQ1 tq1 : group.timings()) {
            if (tq1.getPriorityReps() > 0) {
                candidates.add(tq1.getPriority(0).getIdentifier().getValue());
            }
        }
        if (orc != null && orc.getQuantityTimingReps() > 0) {
            candidates.add(orc.getQuantityTiming(0).getPriority().getValue());
        }
        if (obr != null && obr.getQuantityTimingReps() > 0) {
            candidates.add(obr.getQuantityTiming(0).getPriority().getValue());
        }
        return candidates.stream().filter(c -> !HdToSystem.blank(c)).findFirst()
                .flatMap(code -> rules.codes().translate("v2-priority-to-request-priority", code.trim()));
    }

    private static void occurrence(V2Message.OrderGroup group, ORC orc, OBR obr, MappingContext context, ServiceRequest request) {
        for (TQ1 tq1 : group.timings()) {
            DateTimeType start = V2Dates.dateTime(tq1.getStartDateTime(), "TQ1-7", context);
            DateTimeType end = V2Dates.dateTime(tq1.getEndDateTime(), "TQ1-8", context);
            if (start != null && end != null) {
                request.getOccurrencePeriod().setStartElement(start).setEndElement(end);
                return;
            } else if (start != null) {
                request.setOccurrence(start);
                return;
            }
        }
        List<TS> fallbacks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        if (orc != null && orc.getQuantityTimingReps() > 0) {
            fallbacks.add(orc.getQuantityTiming(0).getStartDateTime());
            names.add("ORC-7.4");
        }
        if (obr != null) {
            if (obr.getQuantityTimingReps() > 0) {
                fallbacks.add(obr.getQuantityTiming(0).getStartDateTime());
                names.add("OBR-27.4");
            }
            fallbacks.add(obr.getScheduledDateTime());
            names.add("OBR-36");
            fallbacks.add(obr.getRequestedDateTime());
            names.add("OBR-6");
        }
        for (int i = 0; i < fallbacks.size(); i++) {
            DateTimeType when = V2Dates.dateTime(fallbacks.get(i), names.get(i), context);
            if (when != null) {
                request.setOccurrence(when);
                return;
            }
        }
    }

    /** The order's NTE-3 texts (each NTE one note) and OBR-13. */
    static List<String> notes(List<NTE> notes, OBR obr) {
        List<String> texts = new ArrayList<>();
        for (NTE nte : notes) {
            String text = Stream.of(nte.getComment()).map(FT::getValue).filter(v -> v != null)
                    .map(V2Text::plain).collect(Collectors.joining("\n")).strip();
            if (!text.isEmpty()) {
                texts.add(text);
            }
        }
        String clinical = obr == null ? null : obr.getRelevantClinicalInformation().getValue();
        if (!HdToSystem.blank(clinical)) {
            texts.add("Relevant clinical information: " + V2Text.plain(clinical).strip());
        }
        return texts;
    }

    private static Identifier ei(EI ei, String type, MappingRules rules) {
        return ei == null ? null : EiToIdentifier.identifier(ei, type, rules);
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        return Stream.of(values).filter(v -> v != null).findFirst().orElse(null);
    }
}
