package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.HookParams;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.rest.api.server.storage.TransactionDetails;
import io.imaginggateway.mapping.TransactionBuilder;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

class WrittenResourcesTest {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    final InterceptorService interceptors = new InterceptorService();
    final WrittenResources written = new WrittenResources(FHIR, interceptors);

    @Test
    void anEntryWrittenBeforeWithTheSameContentIsLeftOutAndReferencesPointAtTheStoredResource() {
        written.remember(order("PAT-1", "Doe", "PO-1", "m1"), response("Patient/7/_history/1", "ServiceRequest/8/_history/1"));

        Bundle next = written.prune(order("PAT-1", "Doe", "PO-2", "m2"));

        assertThat(next.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactly("ServiceRequest");
        assertThat(((ServiceRequest) next.getEntryFirstRep().getResource()).getSubject().getReference()).isEqualTo("Patient/7");
    }

    @Test
    void changedContentIsWritten() {
        written.remember(order("PAT-1", "Doe", "PO-1", "m1"), response("Patient/7/_history/1", "ServiceRequest/8/_history/1"));

        assertThat(written.prune(order("PAT-1", "Smith", "PO-2", "m2")).getEntry()).hasSize(2);
    }

    @Test
    void aResourceChangedElsewhereIsForgotten() {
        written.remember(order("PAT-1", "Doe", "PO-1", "m1"), response("Patient/7/_history/1", "ServiceRequest/8/_history/1"));
        Patient changed = new Patient();
        changed.setId("Patient/7/_history/2");
        interceptors.callHooks(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, new HookParams()
                .add(org.hl7.fhir.instance.model.api.IBaseResource.class, new Patient())
                .add(org.hl7.fhir.instance.model.api.IBaseResource.class, changed)
                .add(RequestDetails.class, new SystemRequestDetails())
                .addIfMatchesType(ServletRequestDetails.class, null)
                .add(TransactionDetails.class, new TransactionDetails())
                .add(ca.uhn.fhir.rest.api.InterceptorInvocationTimingEnum.class, null));

        assertThat(written.prune(order("PAT-1", "Doe", "PO-2", "m2")).getEntry()).hasSize(2);
    }

    static Bundle order(String patientId, String family, String placer, String messageId) {
        TransactionBuilder transaction = new TransactionBuilder(new Identifier().setSystem("urn:test").setValue(messageId),
                "urn:test:" + messageId, "default");
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:mrn").setValue(patientId);
        patient.addName().setFamily(family);
        ServiceRequest request = new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        request.addIdentifier().setSystem("urn:placer").setValue(placer);
        request.setSubject(transaction.upsert(patient, patient.getIdentifier()));
        transaction.upsert(request, request.getIdentifier());
        return transaction.build();
    }

    static Bundle response(String... locations) {
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        List.of(locations).forEach(location -> response.addEntry().getResponse().setLocation(location).setStatus("200 OK"));
        return response;
    }
}
