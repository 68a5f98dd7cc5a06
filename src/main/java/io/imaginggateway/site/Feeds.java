package io.imaginggateway.site;

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
