package io.imaginggateway.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the journal finds a message by, read from its text whether or not it parses. */
class MessageKeysTest {

    private static MessageKeys keys(String text) {
        return MessageKeys.of(text, MshHeader.read(text));
    }

    @Test
    void anIheOrderGivesItsPatientAccessionAndStudyUid() {
        MessageKeys keys = keys("MSH|^~\\&|RIS|HOSP|||20261201||ORM^O01|1|P|2.3.1\r"
                + "PID|1||12345^^^HOSP&1.2.3&ISO^MR~999-99-9999^^^SSA^SS||Doe^Jane\r"
                + "ORC|NW|PO1\rOBR|1|PO1||CT^CT CHEST||||||||||||||ACC-9||||||CT\rZDS|1.2.3.4^RIS^Application^DICOM\r");
        assertThat(keys).isEqualTo(new MessageKeys("12345^^^HOSP", "ACC-9", "1.2.3.4"));
    }

    @Test
    void anOmiTakesItsAccessionAndStudyFromIpc() {
        MessageKeys keys = keys("MSH|^~\\&|RIS|HOSP|||20261201||OMI^O23|1|P|2.5.1\r"
                + "PID|1||777||Doe^John\rORC|NW|PO2\rOBR|1|PO2||CT\rIPC|ACC-7^RIS|REQ1|1.2.840.9|SPS1\r");
        assertThat(keys).isEqualTo(new MessageKeys("777", "ACC-7", "1.2.840.9"));
    }

    @Test
    void otherDelimitersAndMissingSegmentsAreRead() {
        MessageKeys keys = keys("MSH#$~\\&#RIS#HOSP###20261201##ORU$R01#1#P#2.5\rOBX#1#TX###text\r");
        assertThat(keys).isEqualTo(new MessageKeys(null, null, null));
        assertThat(keys("MSH#$~\\&#RIS#HOSP###20261201##ORU$R01#1#P#2.5\rPID#1##55$$$H$MR\r").patient()).isEqualTo("55^^^H");
    }
}
