package io.imaginggateway.site;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/** The feeds the gateway serves, by id; feed {@code default} is always one of them. */
public final class Feeds {

    private final Map<String, Feed> byId;

    Feeds(Map<String, Feed> byId) {
        this.byId = Map.copyOf(byId);
    }

    /** @throws IllegalArgumentException when no feed has this id (a route naming a feed not declared) */
    public Feed get(String id) {
        Feed feed = byId.get(id);
        if (feed == null) {
            throw new IllegalArgumentException("No feed '" + id + "' is declared (gateway.feeds." + id + "; declared: "
                    + String.join(", ", byId.keySet().stream().sorted().toList()) + ")");
        }
        return feed;
    }

    public Feed defaultFeed() {
        return byId.get(Feed.DEFAULT);
    }

    /**
     * The feed whose MLLP port this is: a route's feed follows from the port it listens on, so a route file copied
     * for another feed cannot map its messages with the first feed's rules.
     *
     * @throws IllegalArgumentException when no feed declares the port
     */
    public Feed forMllpPort(int port) {
        return byId.values().stream().filter(feed -> feed.mllpPort() != null && feed.mllpPort() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No feed declares MLLP port " + port
                        + " (gateway.hl7.mllp-port, gateway.feeds.<id>.mllp-port)"));
    }

    /**
     * The feed whose DICOM inbox this folder is.
     *
     * @throws IllegalArgumentException when no feed declares the folder
     */
    public Feed forDicomInbox(Path folder) {
        Path inbox = folder.toAbsolutePath().normalize();
        return byId.values().stream()
                .filter(feed -> feed.dicomInbox() != null && feed.dicomInbox().toAbsolutePath().normalize().equals(inbox))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("No feed declares the DICOM inbox " + inbox
                        + " (gateway.dicom.inbox, gateway.feeds.<id>.dicom-inbox)"));
    }

    /** The feed whose DICOM peers include this calling AE title; the default feed when none does. */
    public Feed forCallingAeTitle(String callingAeTitle) {
        String ae = callingAeTitle == null ? "" : callingAeTitle.trim();
        return byId.values().stream().filter(feed -> feed.dicomCallingAeTitles().contains(ae)).findFirst()
                .orElse(defaultFeed());
    }

    public Collection<Feed> all() {
        return byId.values();
    }
}
