package io.imaginggateway.linking;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * What the link step needs to know of a stored resource: which it is, whose it is and the identifiers it has —
 * not its content (an ImagingStudy's thousands of instances need not be read to know its patient).
 *
 * @param id          {@code Type/id}
 * @param subject     the patient it is about, {@code Patient/id} (null: none, or a Patient)
 * @param identifiers its business identifiers
 */
public record StoredIdentity(String id, String subject, List<Identifier> identifiers) {

    /** The identity of a resource as it is (or is about to be) stored. */
    public static StoredIdentity of(IBaseResource resource) {
        Resource r4 = (Resource) resource;
        String id = r4.fhirType() + "/" + r4.getIdElement().getIdPart();
        Reference subject = subject(r4);
        String patient = subject == null || !subject.hasReference() ? null
                : new IdType(subject.getReference()).toUnqualifiedVersionless().getValue();
        List<Identifier> identifiers = r4.getNamedProperty("identifier") == null ? List.of()
                : r4.getNamedProperty("identifier").getValues().stream().map(v -> ((Identifier) v).copy()).toList();
        return new StoredIdentity(id, patient, identifiers);
    }

    /** The subject of the resource types that are about one patient; null for others. */
    static Reference subject(Resource resource) {
        if (resource instanceof ServiceRequest r) {
            return r.getSubject();
        } else if (resource instanceof DiagnosticReport r) {
            return r.getSubject();
        } else if (resource instanceof Observation r) {
            return r.getSubject();
        } else if (resource instanceof ImagingStudy r) {
            return r.getSubject();
        } else if (resource instanceof Encounter r) {
            return r.getSubject();
        }
        return null;
    }

    String type() {
        return id.substring(0, id.indexOf('/'));
    }

    String idPart() {
        return id.substring(id.indexOf('/') + 1);
    }
}
