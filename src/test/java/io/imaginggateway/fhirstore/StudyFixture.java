package io.imaginggateway.fhirstore;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * One CT study with every element an R4 ImagingStudy search parameter indexes, stored with its patient, order,
 * encounter, practitioners and endpoint in one transaction. Values are unique per fixture so tests do not see each
 * other's data.
 */
final class StudyFixture {

    static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String SNOMED = "http://snomed.info/sct";
    static final String ACCESSION_SYSTEM = "urn:oid:1.2.826.0.1.3680043.10.543.4";
    static final String CT_IMAGE_STORAGE = "urn:oid:1.2.840.10008.5.1.4.1.1.2";

    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String accession = "ACC-" + suffix;
    final String mrn = "MRN-" + suffix;
    final String studyUid = "1.2.826.0.1.3680043.10.543." + Math.abs(suffix.hashCode());
    final String seriesUid = studyUid + ".1";
    final String instanceUid = studyUid + ".1.1";

    String patientId;
    String referrerId;
    String interpreterId;
    String performerId;
    String encounterId;
    String endpointId;
    String orderId;
    String studyId;

    StudyFixture store(IGenericClient client) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:oid:1.2.826.0.1.3680043.10.543.1").setValue(mrn);
        patient.addName().setFamily("Lindqvist").addGiven("Astrid");
        Practitioner referrer = practitioner("REF-" + suffix);
        Practitioner interpreter = practitioner("RAD-" + suffix);
        Practitioner performer = practitioner("TECH-" + suffix);
        Encounter encounter = new Encounter();
        encounter.setStatus(Encounter.EncounterStatus.INPROGRESS);
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", null));
        encounter.setSubject(ref(patient));
        encounter.addIdentifier().setSystem("urn:oid:1.2.826.0.1.3680043.10.543.5").setValue("V-" + suffix)
                .getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("VN");
        Endpoint endpoint = new Endpoint();
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setConnectionType(new Coding(
                "http://terminology.hl7.org/CodeSystem/endpoint-connection-type", "dicom-wado-rs", null));
        endpoint.addPayloadType().setText("DICOM");
        endpoint.setAddress("https://pacs.example.org/dicom-web");

        ServiceRequest order = new ServiceRequest();
        order.addIdentifier(accessionIdentifier());
        order.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        order.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.setSubject(ref(patient));

        ImagingStudy study = new ImagingStudy();
        study.addIdentifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + studyUid);
        study.addIdentifier(accessionIdentifier());
        study.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        study.setSubject(ref(patient));
        study.setEncounter(ref(encounter));
        study.addBasedOn(ref(order));
        study.setReferrer(ref(referrer));
        study.addInterpreter(ref(interpreter));
        study.addEndpoint(ref(endpoint));
        study.addModality(new Coding(DCM, "CT", null));
        study.addReasonCode(new CodeableConcept(new Coding(SNOMED, "233604007", "Pneumonia")));
        study.setStartedElement(new DateTimeType("2026-11-21T09:02:11+01:00"));
        ImagingStudy.ImagingStudySeriesComponent series = study.addSeries();
        series.setUid(seriesUid).setNumber(2).setModality(new Coding(DCM, "CT", null));
        series.setBodySite(new Coding(SNOMED, "51185008", "Thorax"));
        series.addPerformer().setActor(ref(performer));
        series.addInstance().setUid(instanceUid).setNumber(1).setSopClass(new Coding("urn:ietf:rfc:3986", CT_IMAGE_STORAGE, null));

        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource resource : new Resource[] {patient, referrer, interpreter, performer, encounter, endpoint, order, study}) {
            transaction.addEntry().setFullUrl(resource.getIdElement().getValue()).setResource(resource)
                    .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType());
        }
        Bundle response = client.transaction().withBundle(transaction).execute();
        String[] ids = response.getEntry().stream()
                .map(e -> e.getResponse().getLocation().replaceAll("/_history/.*", "")).toArray(String[]::new);
        patientId = ids[0];
        referrerId = ids[1];
        interpreterId = ids[2];
        performerId = ids[3];
        encounterId = ids[4];
        endpointId = ids[5];
        orderId = ids[6];
        studyId = ids[7];
        return this;
    }

    Identifier accessionIdentifier() {
        Identifier identifier = new Identifier().setSystem(ACCESSION_SYSTEM).setValue(accession);
        identifier.getType().addCoding().setSystem(V2_0203).setCode("ACSN");
        return identifier;
    }

    private Practitioner practitioner(String id) {
        Practitioner practitioner = new Practitioner();
        practitioner.addIdentifier().setSystem("urn:oid:1.2.826.0.1.3680043.10.543.2").setValue(id);
        return practitioner;
    }

    private static Reference ref(Resource resource) {
        if (resource.getIdElement().isEmpty()) {
            resource.setId("urn:uuid:" + UUID.randomUUID());
        }
        return new Reference(resource.getIdElement().getValue());
    }
}
