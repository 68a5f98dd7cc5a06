package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThat;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

class TransactionChunkTest {

    @Test
    void anEntryIsNamedByEachIdentifierOfItsConditionalUrlEscapedCommasIncluded() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setResource(new Patient()).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Patient?identifier=urn:mrn|1,urn:ssn|a\\,b");
        bundle.addEntry().setResource(new ServiceRequest()).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("ServiceRequest").setIfNoneExist("identifier=urn:acsn|A1");

        assertThat(TransactionChunk.identity(bundle))
                .containsExactlyInAnyOrder("Patient|urn:mrn|1", "Patient|urn:ssn|a\\,b", "ServiceRequest|urn:acsn|A1");
    }

    @Test
    void eachMemberGetsItsOwnSliceOfTheAnswer() {
        TransactionChunk chunk = new TransactionChunk();
        Bundle first = WrittenResourcesTest.order("P1", "Doe", "PO-1", "m1");
        Bundle third = WrittenResourcesTest.order("P2", "Roe", "PO-2", "m2");
        chunk.add(0, first, first);
        chunk.add(1, null, null); // nothing left to write for this one
        chunk.add(2, third, third);
        assertThat(chunk.writes(TransactionChunk.identity(WrittenResourcesTest.order("P2", "Roe", "PO-9", "m3")))).isTrue();

        FhirStore.Written[] results = new FhirStore.Written[3];
        chunk.write(combined -> {
            assertThat(combined.getEntry()).hasSize(4);
            return WrittenResourcesTest.response("Patient/1", "ServiceRequest/2", "Patient/3", "ServiceRequest/4");
        }, results);

        assertThat(results[0].result().response().getEntry()).extracting(e -> e.getResponse().getLocation())
                .containsExactly("Patient/1", "ServiceRequest/2");
        assertThat(results[1].result().response().getEntry()).isEmpty();
        assertThat(results[2].result().response().getEntry()).extracting(e -> e.getResponse().getLocation())
                .containsExactly("Patient/3", "ServiceRequest/4");
    }
}
