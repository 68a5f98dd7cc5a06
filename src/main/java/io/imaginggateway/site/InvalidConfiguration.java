package io.imaginggateway.site;

/**
 * A setting, rule file or ConceptMap the gateway cannot start with; the message names the file and the key. Start
 * stops with it ({@link InvalidConfigurationAnalyzer}), before any port is opened.
 */
public class InvalidConfiguration extends RuntimeException {

    public InvalidConfiguration(String message) {
        super(message);
    }

    public InvalidConfiguration(String message, Throwable cause) {
        super(message, cause);
    }
}
