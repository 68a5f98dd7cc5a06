package io.imaginggateway.dicom;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.dicom.*}: DICOM intake.
 *
 * @param port    TCP port of the DICOM receiver (0 picks a free port)
 * @param aeTitle the receiver's Application Entity title (1 to 16 characters, no backslash; DICOM PS3.5 AE)
 * @param inbox   folder watched for DICOM files dropped by operators
 */
@Validated
@ConfigurationProperties("gateway.dicom")
public record DicomProperties(
        @DefaultValue("11112") @Min(0) @Max(65535) int port,
        @DefaultValue("FHIRGATEWAY") @Pattern(regexp = "[^\\\\]{0,15}\\S", message = "must be 1 to 16 characters, no backslash") String aeTitle,
        @DefaultValue("${gateway.data-dir}/dicom-inbox") Path inbox) {}
