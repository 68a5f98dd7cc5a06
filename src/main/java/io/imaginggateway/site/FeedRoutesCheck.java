package io.imaginggateway.site;

import java.util.HashSet;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * At start, once the routes run (before the gateway says it is ready): every MLLP route listens on a declared feed's port (its messages are mapped
 * with that feed's rules), and every feed with an MLLP port has a route on it. Either mistake stops the start, naming
 * the route or the key, instead of leaving a port deaf or a hospital's messages without rules.
 */
@Component
class FeedRoutesCheck implements ApplicationListener<ApplicationStartedEvent> {

    private final Feeds feeds;
    private final CamelContext camel;

    FeedRoutesCheck(Feeds feeds, CamelContext camel) {
        this.feeds = feeds;
        this.camel = camel;
    }

    /** Thrown here, the failure stops the start (Camel's own start-up hooks would only log it). */
    @Override
    public void onApplicationEvent(ApplicationStartedEvent event) {
        Set<Integer> routed = new HashSet<>();
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof MllpEndpoint mllp) {
                routed.add(mllp.getPort());
                try {
                    feeds.forMllpPort(mllp.getPort());
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfiguration("Route " + route.getId() + " listens for HL7 on port " + mllp.getPort()
                            + ", which no feed declares: set gateway.feeds.<id>.mllp-port to it, or the route's port"
                            + " to its feed's ({{gateway.feeds.<id>.mllp-port}})");
                }
            }
        }
        for (Feed feed : feeds.all()) {
            if (feed.mllpPort() != null && !feed.id().equals(Feed.DEFAULT) && !routed.contains(feed.mllpPort())) {
                throw new InvalidConfiguration("gateway.feeds." + feed.id() + ".mllp-port " + feed.mllpPort()
                        + ": no route listens on it (a route file beside the feed's feed.yaml, e.g."
                        + " camel-routes/feeds/" + feed.id() + "/mllp.camel.yaml)");
            }
        }
    }
}
