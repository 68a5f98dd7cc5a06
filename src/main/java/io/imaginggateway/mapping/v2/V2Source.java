package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.segment.MSH;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Where a message came from, as FHIR records it: the sender {@code urn:hl7v2:<MSH-3>:<MSH-4>} is the system of
 * Bundle.identifier (value MSH-10), and {@code <sender>:<MSH-10>} is meta.source of every resource written, so each
 * version of a resource names the message that produced it (searchable with {@code _source}). Each part is
 * URL-encoded, so the colons separate exactly these three. (Not {@code #<MSH-10>}: HAPI keeps the part after '#' only
 * for its own request IDs.)
 *
 * <p>The message's times sent without an offset are in MSH-7's offset when MSH-7 has one and the site says so
 * ({@code gateway.site.message-offset}), else in the site's zone.
 */
public final class V2Source {

    private V2Source() {}

    static String sender(MSH msh) {
        return "urn:hl7v2:" + encode(msh.getSendingApplication().getNamespaceID().getValue()) + ":"
                + encode(msh.getSendingFacility().getNamespaceID().getValue());
    }

    static MappingContext context(MSH msh, MappingRules rules) {
        String sender = sender(msh);
        String controlId = msh.getMessageControlID().getValue();
        Identifier message = new Identifier().setSystem(sender).setValue(controlId);
        ZoneId zone = rules.messageOffset() ? DtmToDateTime.offsetOf(msh.getDateTimeOfMessage().getTime().getValue()) : null;
        return new MappingContext(rules, zone, message, sender + ":" + encode(controlId));
    }

    private static String encode(String value) {
        return value == null ? "" : URLEncoder.encode(value.trim(), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
