package io.imaginggateway.hl7;

import static io.imaginggateway.testsupport.MllpClient.field;
import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.MllpClient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every HL7 v2 version real senders put in MSH-12 that the gateway reads: each order is acknowledged and stored. */
class MllpVersionsIT extends GatewayIT {

    @ParameterizedTest(name = "MSH-12 {0}")
    @ValueSource(strings = {"2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.0", "2.5.1", "2.6", "2.7", "2.7.1", "2.8",
            "2.8.1", "2.5.1^DEU&&HL70399"})
    void anOrderOfThisVersionIsStored(String version) throws Exception {
        String id = "V" + version.replaceAll("[^0-9]", "");
        String order = "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ORM^O01|CTRL-" + id + "|P|" + version + "\r"
                + "PID|1||PAT-" + id + "^^^HOSP^MR||Doe^Jane||19700101|F\r"
                + "ORC|NW|PO-" + id + "^EPIC\r"
                + "OBR|1|PO-" + id + "^EPIC||71250^CT CHEST^C4||||||||||||||ACC-" + id + "||||||CT\r";
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            String ack = sender.send(order);
            assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|CTRL-" + id);
            assertThat(field(ack, "MSH", 12)).as("the ACK answers in the sender's version").isEqualTo(version.split("\\^")[0]);
        }
        assertThat(one(ServiceRequest.class, "identifier=PO-" + id).getSubject().getReference()).startsWith("Patient/");
    }
}
