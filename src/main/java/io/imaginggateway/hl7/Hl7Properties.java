package io.imaginggateway.hl7;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.hl7.*}: HL7 v2 intake.
 *
 * @param mllpPort       TCP port of the MLLP listener of feed {@code default} (camel-routes/hl7-mllp-intake.camel.yaml)
 * @param defaultCharset character set of messages whose MSH-18 is empty: a Java charset name, or {@code auto}
 *                       (UTF-8 when the bytes are valid UTF-8, else ISO-8859-1)
 * @param maxConnections MLLP connections served at once
 * @param maxFrameBytes  the largest MLLP frame taken (a report with a PDF fits); a larger one ends its connection
 */
@Validated
@ConfigurationProperties("gateway.hl7")
public record Hl7Properties(
        @DefaultValue("2575") @Min(0) @Max(65535) int mllpPort,
        @DefaultValue("auto") String defaultCharset,
        @DefaultValue("20") @Min(1) int maxConnections,
        @DefaultValue("16777216") @Min(1024) int maxFrameBytes) {}
