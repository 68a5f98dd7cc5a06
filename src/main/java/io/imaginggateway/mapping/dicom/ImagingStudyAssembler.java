package io.imaginggateway.mapping.dicom;

import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.v2.DtmToDateTime;
import io.imaginggateway.mapping.v2.HdToSystem;
import io.imaginggateway.mapping.v2.XpnToHumanName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * The instances of one study received together (a batch) to one FHIR transaction: the Patient, the order the
 * accession number names (a stand-in with status {@code unknown} until the order arrives), the WADO-RS Endpoint and the
 * ImagingStudy with the batch's series and instances. Batches of the same study converge on one ImagingStudy: the
 * stored series and instances are united with the batch's and the counts recomputed ({@code linking.ResourceMerge}).
 * <table>
 *   <tr><td>identifier</td><td>Study Instance UID ({@code urn:dicom:uid}), Accession Number (ACSN, issuer from
 *       (0008,0051) or the site), Study ID</td></tr>
 *   <tr><td>status</td><td>available</td></tr>
 *   <tr><td>subject</td><td>Patient by Patient ID + issuer (0010,0021 / 0010,0024); created with the header's name,
 *       birth date and sex when none has that identifier, never changed when one exists</td></tr>
 *   <tr><td>started</td><td>Study Date + Time, Timezone Offset From UTC, else the site's zone</td></tr>
 *   <tr><td>basedOn</td><td>ServiceRequest by accession number</td></tr>
 *   <tr><td>referrer / interpreter</td><td>Referring Physician / Physicians Reading Study, by name</td></tr>
 *   <tr><td>modality</td><td>union of the series' modalities</td></tr>
 *   <tr><td>procedureCode / reasonCode</td><td>Procedure Code Sequence / Reason for Requested Procedure (+ codes)</td></tr>
 *   <tr><td>description / location</td><td>Study Description / Institution Name, else Performed Location (display)</td></tr>
 *   <tr><td>series</td><td>uid, number, modality, description, started, bodySite (SNOMED, ConceptMap
 *       {@code dicom-body-part-to-snomed}), laterality (SNOMED, ConceptMap {@code dicom-laterality-to-snomed}), performer (performing physicians, operators)</td></tr>
 *   <tr><td>instance</td><td>uid, sopClass ({@code urn:ietf:rfc:3986} + {@code urn:oid:}), number, title (Document
 *       Title, else Image Type)</td></tr>
 * </table>
 * A re-sent instance is the same instance (by SOP Instance UID): counts stay exact.
 */
public final class ImagingStudyAssembler {

    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String SNOMED = "http://snomed.info/sct";
    /** Identifies the patient of a study sent without Patient ID, by the Study Instance UID. */
    static final String STUDY_PATIENT = "http://imaginggateway.io/fhir/NamingSystem/patient-of-dicom-study";

    private ImagingStudyAssembler() {}

    /**
     * @param instances   instances of one study (the first one's study and patient attributes are used)
     * @param wadoRsBase  the WADO-RS base URL the study can be retrieved from (the Endpoint's address)
     * @param source      meta.source of what is written, e.g. {@code urn:dicom:ae:MODALITY1}
     */
    public static MappingContext.Mapped assemble(List<DicomInstance> instances, MappingRules rules, String wadoRsBase,
            String source) {
        DicomInstance first = instances.get(0);
        // no Bundle.identifier: batches are not messages, and a study's next batch is not a re-sent one
        MappingContext context = new MappingContext(rules, null, null, source);
        Reference patient = patient(first, context);

        Identifier studyUid = new Identifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + first.studyInstanceUid());
        ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE).setSubject(patient);
        study.addIdentifier(studyUid);
        Identifier accession = accession(first, rules);
        if (accession != null) {
            study.addIdentifier(accession);
            ServiceRequest order = new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.UNKNOWN)
                    .setIntent(ServiceRequest.ServiceRequestIntent.ORDER).setSubject(patient);
            order.addIdentifier(accession.copy());
            study.addBasedOn(context.transaction().upsert(order, List.of(accession)));
        }
        if (first.studyId() != null) {
            study.addIdentifier().setValue(first.studyId()).getType().addCoding()
                    .setSystem("http://imaginggateway.io/fhir/CodeSystem/identifier-type").setCode("study-id");
        }
        study.setStartedElement(dateTime(first.studyDate(), first.studyTime(), first.timezoneOffset(), rules, context, "StudyDate"));
        if (first.referringPhysician() != null) {
            study.setReferrer(new Reference().setDisplay(personName(first.referringPhysician())));
        }
        first.readingPhysicians().forEach(name -> study.addInterpreter(new Reference().setDisplay(personName(name))));
        first.procedureCodes().forEach(code -> study.addProcedureCode(concept(code, rules)));
        if (first.reasonForRequestedProcedure() != null) {
            study.addReasonCode().setText(first.reasonForRequestedProcedure());
        }
        first.reasonCodes().forEach(code -> study.addReasonCode(concept(code, rules)));
        study.setDescription(first.studyDescription());
        String location = first.institutionName() != null ? first.institutionName() : first.performedLocation();
        if (location != null) {
            study.setLocation(new Reference().setDisplay(location));
        }
        Endpoint endpoint = new Endpoint().setStatus(Endpoint.EndpointStatus.ACTIVE)
                .setConnectionType(new Coding("http://terminology.hl7.org/CodeSystem/endpoint-connection-type",
                        "dicom-wado-rs", "DICOM WADO-RS"))
                .setAddress(wadoRsBase).setName("WADO-RS");
        endpoint.addPayloadType().setText("DICOM");
        endpoint.addPayloadMimeType("application/dicom");
        Identifier endpointId = new Identifier().setSystem("urn:ietf:rfc:3986").setValue(wadoRsBase);
        endpoint.addIdentifier(endpointId);
        study.addEndpoint(context.transaction().upsert(endpoint, List.of(endpointId)));

        Map<String, ImagingStudy.ImagingStudySeriesComponent> series = new LinkedHashMap<>();
        Set<String> sopInstances = new HashSet<>();
        for (DicomInstance instance : instances) {
            if (!Objects.equals(instance.studyInstanceUid(), first.studyInstanceUid())) {
                throw new IllegalArgumentException("Instances of two studies in one batch");
            }
            ImagingStudy.ImagingStudySeriesComponent s = series.computeIfAbsent(instance.seriesInstanceUid(),
                    uid -> series(instance, rules, context));
            if (sopInstances.add(instance.sopInstanceUid())) {
                s.addInstance(instance(instance));
            }
        }
        study.setSeries(new ArrayList<>(series.values()));
        countInstances(study);
        for (ImagingStudy.ImagingStudySeriesComponent s : study.getSeries()) {
            if (s.hasModality() && study.getModality().stream().noneMatch(m -> m.equalsDeep(s.getModality()))) {
                study.addModality(s.getModality().copy());
            }
        }
        context.transaction().upsert(study, List.of(studyUid));
        return context.result();
    }

    /** numberOfSeries, numberOfInstances and each series' numberOfInstances from the series and instances listed. */
    public static void countInstances(ImagingStudy study) {
        int total = 0;
        for (ImagingStudy.ImagingStudySeriesComponent s : study.getSeries()) {
            s.setNumberOfInstances(s.getInstance().size());
            total += s.getInstance().size();
        }
        study.setNumberOfSeries(study.getSeries().size());
        study.setNumberOfInstances(total);
    }

    private static Reference patient(DicomInstance first, MappingContext context) {
        MappingRules rules = context.rules();
        Identifier id;
        if (first.patientId() == null) {
            // anonymised and test studies often have none; the study is kept, with a patient only it refers to
            context.warn("(0010,0020)", "no Patient ID: the study's patient is identified by the study alone");
            id = new Identifier().setSystem(STUDY_PATIENT).setValue(first.studyInstanceUid());
        } else {
            DicomInstance.Issuer issuer = first.patientIdIssuer();
            String system = issuer == null ? rules.localPatientIdSystem()
                    : HdToSystem.system(issuer.namespace(), issuer.universalId(), issuer.universalIdType(), rules);
            id = new Identifier().setSystem(system).setValue(first.patientId());
        }
        Patient patient = new Patient().addIdentifier(id);
        HumanName name = first.patientName() == null ? null : name(first.patientName());
        if (name != null) {
            patient.addName(name);
        }
        DateType birthDate = first.birthDate() == null ? null : DtmToDateTime.date(first.birthDate());
        if (birthDate != null) {
            patient.setBirthDateElement(birthDate);
        }
        // DICOM's M, F, O are HL7 table 0001's codes
        rules.codes().translate("v2-sex-to-administrative-gender", first.sex())
                .ifPresent(code -> patient.setGender(Enumerations.AdministrativeGender.fromCode(code)));
        // the HL7 feed's demographics win: a Patient that exists is never changed by an image header
        return context.transaction().createIfAbsent(patient, List.of(id));
    }

    private static Identifier accession(DicomInstance first, MappingRules rules) {
        if (first.accessionNumber() == null) {
            return null;
        }
        DicomInstance.Issuer issuer = first.accessionIssuer();
        return issuer == null ? HdToSystem.accession(first.accessionNumber(), null, null, null, rules)
                : HdToSystem.accession(first.accessionNumber(), issuer.namespace(), issuer.universalId(), issuer.universalIdType(), rules);
    }

    private static ImagingStudy.ImagingStudySeriesComponent series(DicomInstance instance, MappingRules rules,
            MappingContext context) {
        ImagingStudy.ImagingStudySeriesComponent s = new ImagingStudy.ImagingStudySeriesComponent();
        s.setUid(instance.seriesInstanceUid());
        if (instance.seriesNumber() != null) {
            try {
                s.setNumber(Integer.parseInt(instance.seriesNumber().trim()));
            } catch (NumberFormatException e) {
                context.warn("(0020,0011)", "Series Number '" + instance.seriesNumber() + "' is not a number");
            }
        }
        if (instance.modality() != null) {
            s.setModality(new Coding(DCM, instance.modality(), null));
        }
        s.setDescription(instance.seriesDescription());
        s.setStartedElement(dateTime(instance.seriesDate(), instance.seriesTime(), instance.timezoneOffset(), rules, context, "SeriesDate"));
        if (instance.bodyPartExamined() != null) {
            String part = instance.bodyPartExamined().toUpperCase();
            s.setBodySite(rules.codes().translate("dicom-body-part-to-snomed", part)
                    .map(code -> new Coding(SNOMED, code, null))
                    .orElseGet(() -> new Coding().setDisplay(instance.bodyPartExamined())));
        }
        if (instance.laterality() != null) {
            rules.codes().translateCoding("dicom-laterality-to-snomed", instance.laterality().trim()).ifPresent(s::setLaterality);
        }
        List<String> people = new ArrayList<>(instance.performingPhysicians());
        instance.operators().stream().filter(o -> !people.contains(o)).forEach(people::add);
        people.forEach(name -> s.addPerformer().setActor(new Reference().setDisplay(personName(name))));
        return s;
    }

    private static ImagingStudy.ImagingStudySeriesInstanceComponent instance(DicomInstance instance) {
        ImagingStudy.ImagingStudySeriesInstanceComponent i = new ImagingStudy.ImagingStudySeriesInstanceComponent();
        i.setUid(instance.sopInstanceUid());
        if (instance.sopClassUid() != null) {
            i.setSopClass(new Coding("urn:ietf:rfc:3986", "urn:oid:" + instance.sopClassUid(), null));
        }
        if (instance.instanceNumber() != null) {
            try {
                i.setNumber(Integer.parseInt(instance.instanceNumber().trim()));
            } catch (NumberFormatException e) {
                // an unparsable Instance Number is left out; the instance is still listed
            }
        }
        if (instance.documentTitle() != null) {
            i.setTitle(instance.documentTitle());
        } else if (!instance.imageType().isEmpty()) {
            i.setTitle(String.join("\\", instance.imageType()));
        }
        return i;
    }

    /** DA + TM (+ offset "+HHMM"): TM may be HHMMSS.FFFFFF, shorter, or the old ACR-NEMA HH:MM:SS. */
    private static DateTimeType dateTime(String date, String time, String offset, MappingRules rules,
            MappingContext context, String attribute) {
        if (date == null) {
            return null;
        }
        String value = date.replace(".", "") + (time == null ? "" : time.replace(":", ""));
        if (offset != null && offset.matches("[+-]\\d{4}")) {
            value = value + offset;
        }
        DateTimeType result = DtmToDateTime.dateTime(value, rules.timeZone());
        if (result == null) {
            context.warn(attribute, "'" + date + (time == null ? "" : " " + time) + "' is not a DICOM date/time");
        }
        return result;
    }

    /** PN {@code Family^Given^Middle^Prefix^Suffix} (alphabetic group) to a readable name. */
    static String personName(String pn) {
        HumanName name = name(pn);
        return name == null ? pn : name.getNameAsSingleString();
    }

    /** A PN's alphabetic group as a HumanName (the parts are HL7's XPN parts in another order); null when empty. */
    private static HumanName name(String pn) {
        String[] parts = Arrays.copyOf(pn.split("=", -1)[0].split("\\^", -1), 5);
        return XpnToHumanName.name(parts[0], parts[1], parts[2], parts[4], parts[3], null);
    }

    private static CodeableConcept concept(DicomInstance.Code code, MappingRules rules) {
        CodeableConcept concept = new CodeableConcept();
        if (code.value() != null) {
            String system = code.scheme() == null ? null
                    : rules.codes().translate("v2-coding-system-to-uri", code.scheme().toUpperCase())
                            .orElse("urn:dicom:coding-scheme:" + code.scheme());
            concept.addCoding(new Coding(system, code.value(), code.meaning()));
        }
        concept.setText(code.meaning());
        return concept;
    }
}
