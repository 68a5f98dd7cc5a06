package io.imaginggateway.mapping;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;

/**
 * What the mappers of one message share: the site's rules, the zone of its times sent without an offset, the
 * transaction being built, and the warnings about optional values that could not be used (sent back to the sender,
 * e.g. as ERR segments of severity W on an AA).
 */
public final class MappingContext {

    private final MappingRules rules;
    private final ZoneId zone;
    private final TransactionBuilder transaction;
    private final List<String> warnings = new ArrayList<>();

    /** @param zone zone of this message's times sent without an offset (null: the site's) */
    public MappingContext(MappingRules rules, ZoneId zone, Identifier messageIdentifier, String source) {
        this.rules = rules;
        this.zone = zone != null ? zone : rules.timeZone();
        this.transaction = new TransactionBuilder(messageIdentifier, source, rules.feed());
    }

    public MappingRules rules() {
        return rules;
    }

    /** The zone of this message's date-times that carry no offset of their own. */
    public ZoneId zone() {
        return zone;
    }

    public TransactionBuilder transaction() {
        return transaction;
    }

    /** {@code field}: where in the source, e.g. {@code OBR-7}. */
    public void warn(String field, String message) {
        warnings.add(field + ": " + message);
    }

    public Mapped result() {
        return new Mapped(transaction.build(), List.copyOf(warnings));
    }

    /** A mapped message: the FHIR transaction and what could not be used. */
    public record Mapped(Bundle bundle, List<String> warnings) {}
}
