package io.imaginggateway.hl7;

import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.MllpClient;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a sender gets for messages the gateway cannot take, and that the listener and the connection carry on: every
 * test sends a good order on the same connection afterwards and expects it stored.
 */
public class MllpBadInputIT extends GatewayIT {

    @Autowired
    JdbcTemplate jdbc;

    static final String ORDER = "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ORM^O01|%s|P|2.3.1\r"
            + "PID|1||%s^^^HOSP^MR||Doe^Jane||19700101|F\r"
            + "ORC|NW|%s^EPIC||||||||||\r"
            + "OBR|1|%s^EPIC||71250^CT CHEST^C4||||||||||||||%s||||||CT\r";

    public static String order(String id) {
        return String.format(ORDER, "CTRL-" + id, "PAT-" + id, "PO-" + id, "PO-" + id, "ACC-" + id);
    }

    @Test
    void garbageIsRejectedAndTheConnectionServesTheNextMessage() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            String ack = sender.send("this is not HL7\r");
            assertThat(segment(ack, "MSA")).startsWith("MSA|AR|");
            assertThat(segment(ack, "ERR")).contains("100");
            assertGoodOrderStored(sender, "G1");
        }
    }

    @Test
    void aFrameThatNeverEndedIsDroppedAndTheMessageAfterItIsAnswered() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            byte[] unfinished = order("U0").getBytes(StandardCharsets.UTF_8);
            byte[] start = new byte[unfinished.length + 1];
            start[0] = MllpClient.START;
            System.arraycopy(unfinished, 0, start, 1, unfinished.length);
            sender.sendRaw(start); // no <FS><CR>: the sender gives up and sends its next message
            assertGoodOrderStored(sender, "U1");
        }
        assertThat(fhirClient().search().byUrl("ServiceRequest?identifier=PO-U0").returnBundle(Bundle.class).execute()
                .getEntry()).isEmpty();
    }

    @Test
    void aMessageHapiCannotParseIsRejectedToItsSender() throws Exception {
        // a truncated segment name: MSH is readable, the rest is not HL7
        String ack = assertRejected(order("T8").replace("PID|1||", "PI|1||"), "MSA|AR|CTRL-T8", "100");
        assertThat(segment(ack, "MSH")).startsWith("MSH|^~\\&|RIS|RADIOLOGY|EPIC|GENHOSP|");
    }

    /** A good order with one header field taken out or changed, and the rejection a sender must get for it. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "no message type (MSH-9);  ORM^O01;   '';       CTRL-T1; 101; T1",
        "unknown trigger;          ORM^O01;   ORM^O99;  CTRL-T2; 201; T2",
        "unreadable version 2.9;   |P|2.3.1;  |P|2.9;   CTRL-T4; 203; T4",
        "not an HL7 v2 version;    |P|2.3.1;  |P|3.0;   CTRL-T9; 203; T9",
    })
    void aMessageWithAnUnusableHeaderIsRejected(String flaw, String original, String replacement, String controlId,
            String errorCode, String id) throws Exception {
        assertRejected(order(id).replace(original, replacement), "MSA|AR|" + controlId, errorCode);
    }

    @Test
    void anOrderWithoutOrderNumbersIsAnApplicationError() throws Exception {
        String noNumbers = order("T6").replace("PO-T6^EPIC", "").replace("ACC-T6", "");
        assertRejected(noNumbers, "MSA|AE|CTRL-T6", "101");
    }

    @Test
    void aBatchIsRefusedWithTheReasonAndNothingOfItIsStored() throws Exception {
        String batch = "FHS|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||||FILE-1\r"
                + "BHS|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||||BATCH-1\r"
                + order("TB1") + order("TB2") + "BTS|2\rFTS|1\r";
        String ack = assertRejected(batch, "MSA|AR|FILE-1", "200");
        assertThat(segment(ack, "MSA")).contains("batches (FHS/BHS) are not accepted: send each message in its own MLLP frame");
        assertThat(segment(ack, "MSH")).startsWith("MSH|^~\\&|RIS|RADIOLOGY|EPIC|GENHOSP|");
        assertThat(fhirClient().search().byUrl("ServiceRequest?identifier=PO-TB1,PO-TB2").returnBundle(Bundle.class)
                .execute().getEntry()).isEmpty();
    }

    @Test
    void anAdmissionIsRejectedWithCode200() throws Exception {
        String adt = "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ADT^A01^ADT_A01|CTRL-T3|P|2.5.1\r"
                + "EVN|A01|20261123081500\rPID|1||PAT-T3^^^HOSP^MR||Doe^Jane\rPV1|1|I\r";
        assertRejected(adt, "MSA|AR|CTRL-T3", "200");
    }

    @Test
    void anOrderWithoutPatientIdentifierIsAnApplicationError() throws Exception {
        String ack = assertRejected(order("T5").replace("PAT-T5^^^HOSP^MR", ""), "MSA|AE|CTRL-T5", "101");
        // v2.3.1: ERR-1 is segment^sequence^field^code&text
        assertThat(segment(ack, "ERR")).startsWith("ERR|PID^1^3^101&");
    }

    @Test
    void aDatabaseFailureIsAnApplicationErrorAndNothingOfTheMessageIsStored() throws Exception {
        // the gateway's own table, written in the same transaction as the resources, is made to fail
        jdbc.execute("ALTER TABLE GW_MESSAGE_LEDGER RENAME TO GW_MESSAGE_LEDGER_AWAY");
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            String ack = sender.send(order("T7"));
            assertThat(segment(ack, "MSA")).startsWith("MSA|AE|CTRL-T7|The message could not be stored");
            assertThat(segment(ack, "ERR")).contains("207");
        } finally {
            jdbc.execute("ALTER TABLE GW_MESSAGE_LEDGER_AWAY RENAME TO GW_MESSAGE_LEDGER");
        }
        assertThat(fhirClient().search().byUrl("Patient?identifier=PAT-T7").returnBundle(Bundle.class).execute()
                .getEntry()).isEmpty();
        // the sender re-sends once the database is back, and the message is stored
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            assertThat(segment(sender.send(order("T7")), "MSA")).isEqualTo("MSA|AA|CTRL-T7");
        }
        assertThat(fhirClient().search().byUrl("Patient?identifier=PAT-T7").returnBundle(Bundle.class).execute()
                .getEntry()).hasSize(1);
    }

    private String assertRejected(String message, String msa, String errorCode) throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            String ack = sender.send(message);
            assertThat(segment(ack, "MSA")).startsWith(msa);
            assertThat(segment(ack, "ERR")).contains(errorCode);
            assertGoodOrderStored(sender, msa.substring(msa.lastIndexOf('-') + 1) + "-next");
            return ack;
        }
    }

    private void assertGoodOrderStored(MllpClient sender, String id) throws Exception {
        assertThat(segment(sender.send(order(id)), "MSA")).isEqualTo("MSA|AA|CTRL-" + id);
        assertThat(fhirClient().search().byUrl("ServiceRequest?identifier=PO-" + id).returnBundle(Bundle.class).execute()
                .getEntry()).hasSize(1);
    }
}
