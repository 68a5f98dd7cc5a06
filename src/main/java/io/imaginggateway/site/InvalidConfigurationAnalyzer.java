package io.imaginggateway.site;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Start failed on the configuration: one paragraph naming the file and key, no stack trace. */
class InvalidConfigurationAnalyzer extends AbstractFailureAnalyzer<InvalidConfiguration> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfiguration cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Correct the file and key named above and start again (README: Adding a feed).", cause);
    }
}
