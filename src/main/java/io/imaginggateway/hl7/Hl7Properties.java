package io.imaginggateway.hl7;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.hl7.*}: HL7 v2 intake.
 *
 * @param mllpPort TCP port of the MLLP listener (0 picks a free port)
 */
@Validated
@ConfigurationProperties("gateway.hl7")
public record Hl7Properties(@DefaultValue("2575") @Min(0) @Max(65535) int mllpPort) {}
