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
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * One ORC/OBR group (with its TQ1, IPC and NTE) to a ServiceRequest, following the V2-to-FHIR IG ORC and OBR maps and
 * IHE Radiology Scheduled Workflow:
 * <table>
 *   <tr><td>identifier PLAC / FILL</td><td>ORC-2 else OBR-2 / ORC-3 else OBR-3 (EI namespace -> system)</td></tr>
 *   <tr><td>identifier ACSN</td><td>IPC-1 (with its issuer) else OBR-18; system from the site when no issuer (the
 *       same as DICOM's accession numbers without an issuer)</td></tr>
 *   <tr><td>identifier requested procedure / scheduled step</td><td>IPC-2 else OBR-19 / IPC-4 else OBR-20; without a
 *       namespace the site's local system of that kind</td></tr>
 *   <tr><td>requisition</td><td>ORC-4</td></tr>
 *   <tr><td>status</td><td>ORC-5 else ORC-1 (ConceptMaps)</td></tr>
 *   <tr><td>intent</td><td>order; reflex-order when OBR-11 is G</td></tr>
 *   <tr><td>category</td><td>the kind of service ({@link ServiceKind}: imaging, laboratory, ...), with the modality
 *       (IPC-5, else OBR-24 when it is a DICOM modality) or the service section (OBR-24, table 0074)</td></tr>
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
    static final String REQUESTED_PROCEDURE = "requested-procedure-id";
    static final String SCHEDULED_STEP = "scheduled-procedure-step-id";

    private OrcObrToServiceRequest() {}

    /**
     * The mapped order, its identity (placer, filler, accession), its accession number (null if none) and the kind of
     * service it is (with its modality).
     */
    public record Order(ServiceRequest request, List<Identifier> identity, Identifier accession, ServiceKind kind) {}

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
        ServiceKind kind = ServiceKind.of(group, rules);
        request.addCategory(kind.orderCategory());
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
        return new Order(request, identity, accession, kind);
    }

    /** IPC-1 (with its issuer) else OBR-18: the same number gets the same system whichever segment carried it. */
    private static Identifier accession(IPC ipc, OBR obr, MappingRules rules) {
        if (ipc != null && !HdToSystem.blank(ipc.getAccessionIdentifier().getEntityIdentifier().getValue())) {
            EI ei = ipc.getAccessionIdentifier();
            return HdToSystem.accession(ei.getEntityIdentifier().getValue(), ei.getNamespaceID().getValue(),
                    ei.getUniversalID().getValue(), ei.getUniversalIDType().getValue(), rules);
        }
        String obr18 = obr == null ? null : obr.getPlacerField1().getValue();
        return HdToSystem.blank(obr18) ? null : HdToSystem.accession(V2Text.plain(obr18), null, null, null, rules);
    }

    /**
     * Requested Procedure ID and Scheduled Procedure Step ID(s): IPC-2/IPC-4 of every IPC, else OBR-19/OBR-20. A key
     * without a namespace has the site's local system of its kind, whichever segment carried it.
     */
    private static List<Identifier> procedureKeys(V2Message.OrderGroup group, OBR obr, MappingRules rules) {
        List<Identifier> keys = new ArrayList<>();
        for (IPC ipc : group.procedures()) {
            addKey(keys, procedureKey(ipc.getRequestedProcedureID(), REQUESTED_PROCEDURE, rules));
            addKey(keys, procedureKey(ipc.getScheduledProcedureStepID(), SCHEDULED_STEP, rules));
        }
        if (keys.isEmpty() && obr != null) {
            addKey(keys, procedureKey(V2Text.plain(obr.getPlacerField2().getValue()), null, null, null, REQUESTED_PROCEDURE, rules));
            addKey(keys, procedureKey(V2Text.plain(obr.getFillerField1().getValue()), null, null, null, SCHEDULED_STEP, rules));
        }
        return keys;
    }

    private static Identifier procedureKey(EI ei, String kind, MappingRules rules) {
        return procedureKey(ei.getEntityIdentifier().getValue(), ei.getNamespaceID().getValue(), ei.getUniversalID().getValue(),
                ei.getUniversalIDType().getValue(), kind, rules);
    }

    private static Identifier procedureKey(String value, String namespace, String universalId, String universalIdType,
            String kind, MappingRules rules) {
        if (HdToSystem.blank(value)) {
            return null;
        }
        String system = HdToSystem.system(namespace, universalId, universalIdType, rules);
        Identifier key = new Identifier().setValue(value.trim()).setSystem(system != null ? system : HdToSystem.localSystem(kind, rules));
        key.getType().addCoding().setSystem(IDENTIFIER_TYPE).setCode(kind);
        return key;
    }

    private static void addKey(List<Identifier> keys, Identifier key) {
        if (key != null && keys.stream().noneMatch(key::equalsDeep)) {
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
