package io.imaginggateway.hl7;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.hl7.*}: HL7 v2 intake.
 *
 * @param mllpPort       TCP port of the MLLP listener
 * @param defaultCharset character set of messages whose MSH-18 is empty: a Java charset name, or {@code auto}
 *                       (UTF-8 when the bytes are valid UTF-8, else ISO-8859-1)
 * @param versions       HL7 versions (MSH-12) accepted (all the gateway reads, 2.1 to 2.8.1, by default; a version
 *                       written with a trailing ".0" counts as the one it names); others are rejected with AR and ERR
 *                       code 203
 * @param maxConnections MLLP connections served at once
 */
@Validated
@ConfigurationProperties("gateway.hl7")
public record Hl7Properties(
        @DefaultValue("2575") @Min(0) @Max(65535) int mllpPort,
        @DefaultValue("auto") String defaultCharset,
        @DefaultValue({"2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1"})
        List<String> versions,
        @DefaultValue("20") @Min(1) int maxConnections) {}
