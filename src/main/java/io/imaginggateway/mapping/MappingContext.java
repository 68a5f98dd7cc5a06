package io.imaginggateway.mapping;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;

/**
 * What the mappers of one message share: the site's rules, the transaction being built, and the warnings about
 * optional values that could not be used (sent back to the sender, e.g. as ERR segments of severity W on an AA).
 */
public final class MappingContext {

    private final MappingRules rules;
    private final TransactionBuilder transaction;
    private final List<String> warnings = new ArrayList<>();

    public MappingContext(MappingRules rules, Identifier messageIdentifier, String source) {
        this.rules = rules;
        this.transaction = new TransactionBuilder(messageIdentifier, source);
    }

    public MappingRules rules() {
        return rules;
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
