package io.imaginggateway.site;

import ca.uhn.hl7v2.Version;
import io.imaginggateway.mapping.MappingRules;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One inbound feed ({@code gateway.feeds.<id>}): a sending system with its own endpoint and its own site rules.
 *
 * @param id                   the feed's name, recorded on every resource it writes
 * @param mllpPort             port its MLLP route listens on (null: none)
 * @param dicomCallingAeTitles calling AE titles of DICOM peers whose studies are this feed's
 * @param dicomInbox           folder whose DICOM files are this feed's (null: none)
 * @param rules                what its mappers use: identifier systems, zone, ConceptMaps, field rules, ...
 * @param hl7Versions          HL7 versions (MSH-12) it accepts
 * @param messageTypes         message types it accepts, as {@code ORM^O01}
 * @param acknowledge          when its HL7 messages get their AA: after the commit, or after the journal
 * @param peers                who may send on it
 * @param mllpTls              TLS on its MLLP port
 */
public record Feed(String id, Integer mllpPort, Set<String> dicomCallingAeTitles, Path dicomInbox, MappingRules rules,
        List<String> hl7Versions, Set<String> messageTypes, SiteProperties.Acknowledge acknowledge,
        PeerAllowList peers, TlsSettings mllpTls) {

    /** The feed of everything no declared feed claims: {@code gateway.site}, the shipped route files. */
    public static final String DEFAULT = "default";

    /** Whether this feed takes messages of this type and trigger ({@code ORM}, {@code O01}). */
    public boolean accepts(String messageCode, String triggerEvent) {
        return messageTypes.contains(messageCode + "^" + triggerEvent);
    }

    /**
     * The version HAPI reads a message of this MSH-12 as: the version itself, or without trailing ".0" parts
     * ("2.5.0" is 2.5); null when HAPI cannot read it.
     */
    public static String readableVersion(String sent) {
        String version = sent == null ? "" : sent.trim();
        while (!Version.supportsVersion(version) && version.endsWith(".0")) {
            version = version.substring(0, version.length() - 2);
        }
        return Version.supportsVersion(version) ? version : null;
    }
}
