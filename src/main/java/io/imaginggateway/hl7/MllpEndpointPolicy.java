package io.imaginggateway.hl7;

import io.imaginggateway.security.TlsPorts;
import io.imaginggateway.site.Feed;
import io.imaginggateway.site.Feeds;
import java.util.Locale;
import org.apache.camel.Endpoint;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What every MLLP endpoint gets, the shipped routes' and a site's own alike, as Camel creates it (Camel adds
 * LifecycleStrategy beans to its context by itself): no message content in camel-mllp's log lines (its {@code logPhi}
 * is on by default), frames no larger than {@code gateway.hl7.max-frame-bytes} (its own limit is 1 GiB), and TLS on
 * the port of each feed that sets {@code mllp-tls.bundle} (README: Security). A route file cannot forget them.
 */
@Component
class MllpEndpointPolicy extends LifecycleStrategySupport {

    private static final Logger log = LoggerFactory.getLogger(MllpEndpointPolicy.class);

    private final Feeds feeds;
    private final TlsPorts tlsPorts;
    private final Hl7Properties properties;

    MllpEndpointPolicy(Feeds feeds, TlsPorts tlsPorts, Hl7Properties properties) {
        this.feeds = feeds;
        this.tlsPorts = tlsPorts;
        this.properties = properties;
    }

    @Override
    public void onEndpointAdd(Endpoint endpoint) {
        if (!(endpoint instanceof MllpEndpoint mllp)) {
            return;
        }
        ((MllpComponent) mllp.getComponent()).setLogPhi(false);
        mllp.getConfiguration().setMaxBufferSize(Math.min(properties.maxFrameBytes(),
                mllp.getConfiguration().getMaxBufferSize()));
        Feed feed;
        try {
            feed = feeds.forMllpPort(mllp.getPort());
        } catch (IllegalArgumentException noFeed) {
            return; // FeedRoutesCheck stops the start, naming the route
        }
        if (feed.mllpTls().enabled() && mllp.getConfiguration().getSslContextParameters() == null) {
            mllp.getConfiguration().setSslContextParameters(tlsPorts.camelParameters(feed.mllpTls()));
            log.info("MLLP port {} (feed {}): TLS, client certificate {}", mllp.getPort(), feed.id(),
                    feed.mllpTls().clientAuth().name().toLowerCase(Locale.ROOT));
        }
    }
}
