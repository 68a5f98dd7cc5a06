package io.imaginggateway.mapping.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imaginggateway.hl7.Hl7Intake;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/** Field rules as a site writes them: each kind of source path and target, on the resource the rule names. */
class SiteFieldRulesTest {

    private static final String ORDER = "MSH|^~\\&|RIS|HOSP|GW|GW|20261201093000||ORM^O01|ZR-1|P|2.3.1\r"
            + "PID|1||P-1^^^HOSP^MR||Doe^Jane||19800101|F\r"
            + "ZPI|1|CARD-1~CARD-2|Vegetarian\r"
            + "PV1|1|O|||||||||||||||||V-1^^^HOSP^VN\r"
            + "ZV1|Taxi\r"
            + "ORC|NW|P-100^RIS|||SC\r"
            + "OBR|1|P-100^RIS||71250^CT CHEST^C4|||20261201093000||||||||||||ACC-100|||||CT\r"
            + "ZOR|W^Wheelchair^LOCAL|Claustrophobic|X\r"
            + "ZDS|1.2.826.0.1.3680043.9.7001.5^^Application^DICOM\r";

    @Test
    void eachTargetGetsTheValueItsRuleNames() throws Exception {
        List<FieldRule> rules = List.of(
                new FieldRule(FieldRule.Path.parse("ZPI-2[2]"), FieldRule.target("Patient.identifier",
                        "urn:example:card", new Coding(HdToSystem.V2_0203, "MB", null), null, null)),
                new FieldRule(FieldRule.Path.parse("ZPI-3"), FieldRule.target("Patient.extension", null, null,
                        "urn:example:diet", null)),
                new FieldRule(FieldRule.Path.parse("ZV1-1"), FieldRule.target("Encounter.reasonCode", "urn:example:transport",
                        null, null, null)),
                new FieldRule(FieldRule.Path.parse("ZOR-1"), FieldRule.target("ServiceRequest.orderDetail", null, null, null,
                        null)),
                new FieldRule(FieldRule.Path.parse("ZOR-2"), FieldRule.target("ServiceRequest.note", null, null, null, null)),
                new FieldRule(FieldRule.Path.parse("ZOR-3"), FieldRule.target("ServiceRequest.bodySite", null, null, null,
                        "v2-sex-to-administrative-gender")),
                new FieldRule(FieldRule.Path.parse("ZXX-1"), FieldRule.target("ServiceRequest.note", null, null, null, null)),
                new FieldRule(FieldRule.Path.parse("ZDS-1"), FieldRule.target("study-instance-uid", null, null, null, null)));
        MappingContext.Mapped mapped = OrderMessageToBundle.map(V2Message.read(Hl7Intake.newParser().parse(ORDER)),
                withFieldRules(rules));

        Patient patient = only(mapped.bundle(), Patient.class);
        assertThat(patient.getIdentifier()).anyMatch(i -> "urn:example:card".equals(i.getSystem())
                && "CARD-2".equals(i.getValue()) && "MB".equals(i.getType().getCodingFirstRep().getCode()));
        assertThat(patient.getExtensionByUrl("urn:example:diet").getValue().primitiveValue()).isEqualTo("Vegetarian");
        Encounter encounter = only(mapped.bundle(), Encounter.class);
        assertThat(encounter.getReasonCodeFirstRep().getCodingFirstRep().getSystem()).isEqualTo("urn:example:transport");
        assertThat(encounter.getReasonCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("Taxi");
        ServiceRequest order = only(mapped.bundle(), ServiceRequest.class);
        // a whole coded field: code, text, and the coding system the message names
        assertThat(order.getOrderDetailFirstRep().getCodingFirstRep().getCode()).isEqualTo("W");
        assertThat(order.getOrderDetailFirstRep().getCodingFirstRep().getSystem()).isEqualTo("urn:hl7v2:coding-system:LOCAL");
        assertThat(order.getOrderDetailFirstRep().getText()).isEqualTo("Wheelchair");
        // a note; a segment the message does not have writes nothing
        assertThat(order.getNote()).extracting(n -> n.getText()).containsExactly("Claustrophobic");
        // a code the rule's ConceptMap does not have is kept as text, with a warning naming the field
        assertThat(order.getBodySiteFirstRep().getText()).isEqualTo("X");
        assertThat(mapped.warnings()).containsExactly("ZOR-3: 'X' is not in ConceptMap v2-sex-to-administrative-gender; kept as text");
        assertThat(only(mapped.bundle(), ImagingStudy.class).getIdentifierFirstRep().getValue())
                .isEqualTo("urn:oid:1.2.826.0.1.3680043.9.7001.5");
    }

    @Test
    void aPathOrTargetThatCannotExistIsRefusedWhenTheRuleIsRead() {
        assertThatThrownBy(() -> FieldRule.Path.parse("PID-3.11")).hasMessageContaining("PID-3 (CX) has 10 components");
        assertThatThrownBy(() -> FieldRule.Path.parse("XYZ-1")).hasMessageContaining("neither a Z-segment nor a segment of HL7 v2.5.1");
        assertThatThrownBy(() -> FieldRule.Path.parse("ZPI-0")).hasMessageContaining("count from 1");
        assertThatThrownBy(() -> FieldRule.Path.parse("ZPI 1")).hasMessageContaining("is not a field path");
        assertThatThrownBy(() -> FieldRule.target("Observation.note", null, null, null, null))
                .hasMessageContaining("Resource is one of");
        assertThatThrownBy(() -> FieldRule.target("Patient.identifier", null, null, null, null)).hasMessageContaining("needs 'system'");
        assertThatThrownBy(() -> FieldRule.target("Encounter.note", null, null, null, null))
                .hasMessageContaining("Encounter has no Annotation element 'note'");
    }

    private static MappingRules withFieldRules(List<FieldRule> rules) {
        MappingRules r = V2MessageGoldenTest.RULES;
        return new MappingRules(r.feed(), r.timeZone(), r.messageOffset(), r.identifierSystems(), r.localPatientIdSystem(),
                r.accessionSystem(), r.localSystemBase(), r.patientIdentity(), r.obr24(), r.reportCategory(),
                r.defaultCategory(), r.reportTextTypes(), r.codes(), rules);
    }

    private static <T extends Resource> T only(Bundle bundle, Class<T> type) {
        List<T> found = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }
}
