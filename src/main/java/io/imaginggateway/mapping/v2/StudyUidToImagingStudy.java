package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.segment.IPC;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import io.imaginggateway.mapping.MappingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * The Study Instance UID an order or report already carries — a field a site rule names as the study's (the default
 * rule set has IHE SWF v2.3.1's ZDS-1, {@code uid^^Application^DICOM}), IPC-3 (v2.5.1) or an OBX whose OBX-3 is {@code 113014^DICOM Study^DCM} (IHE reports) — to an ImagingStudy with
 * status {@code registered}, identified by that UID and pointing at its order; its referrer is the visit's referring
 * doctor (PV1-8), as IHE Radiology fills Referring Physician's Name (0008,0090), not the ordering provider. When the images arrive, the DICOM intake
 * completes this same resource (same identity), and an ImagingStudy already made from images is not set back to
 * registered by a later order or report.
 */
public final class StudyUidToImagingStudy {

    /** A DICOM UID (PS3.5 9.1): digits and dots, at most 64 characters, no empty or zero-padded components. */
    static final Pattern UID = Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    private StudyUidToImagingStudy() {}

    /** References to the group's studies, in the order the message names them. */
    public static List<Reference> imagingStudies(V2Message.OrderGroup group, OrcObrToServiceRequest.Order order,
            Reference orderReference, Reference referrer, MappingContext context) {
        List<Reference> studies = new ArrayList<>();
        for (String uid : studyUids(group, context)) {
            Identifier studyUid = new Identifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + uid);
            ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.REGISTERED);
            study.addIdentifier(studyUid);
            if (order.accession() != null) {
                study.addIdentifier(order.accession().copy());
            }
            study.setSubject(order.request().getSubject());
            study.setEncounter(order.request().hasEncounter() ? order.request().getEncounter() : null);
            study.addBasedOn(orderReference);
            if (order.kind().modality() != null && ServiceKind.DCM.equals(order.kind().modality().getSystem())) {
                study.addModality(order.kind().modality().copy());
            }
            if (referrer != null && referrer.hasReference()) {
                study.setReferrer(referrer.copy());
            }
            if (order.request().hasCode()) {
                study.addProcedureCode(order.request().getCode().copy());
            }
            studies.add(context.transaction().upsert(study, List.of(studyUid)));
        }
        return studies;
    }

    /** Whether this OBX names the report's study (DICOM code 113014) rather than a finding. */
    static boolean namesStudy(OBX obx) {
        CE id = obx.getObservationIdentifier();
        return "113014".equals(id.getIdentifier().getValue()) && "DCM".equals(id.getNameOfCodingSystem().getValue());
    }

    private static Set<String> studyUids(V2Message.OrderGroup group, MappingContext context) {
        Set<String> uids = new LinkedHashSet<>();
        for (SiteFieldRules.Sourced uid : SiteFieldRules.studyInstanceUids(group, context.rules())) {
            add(uids, uid.value(), uid.field(), context);
        }
        for (IPC ipc : group.procedures()) {
            add(uids, ipc.getStudyInstanceUID().getEntityIdentifier().getValue(), "IPC-3", context);
        }
        for (V2Message.Result result : group.results()) {
            if (namesStudy(result.obx())) {
                for (Varies value : result.obx().getObservationValue()) {
                    add(uids, ObxValues.firstComponent(value), result.field("5"), context);
                }
            }
        }
        return uids;
    }

    private static void add(Set<String> uids, String value, String field, MappingContext context) {
        if (HdToSystem.blank(value)) {
            return;
        }
        String uid = value.trim();
        if (uid.length() <= 64 && UID.matcher(uid).matches()) {
            uids.add(uid);
        } else {
            context.warn(field, "'" + uid + "' is not a DICOM UID; no ImagingStudy registered for it");
        }
    }
}
