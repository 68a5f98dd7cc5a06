package io.imaginggateway.dicom;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import io.imaginggateway.site.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.dicom.*}: DICOM intake.
 *
 * @param port    TCP port of the DICOM receiver (0 picks a free port)
 * @param aeTitle the receiver's Application Entity title (1 to 16 characters, no backslash; DICOM PS3.5 AE)
 * @param inbox   folder watched for DICOM files dropped by operators (recursive; unreadable files go to its
 *                {@code .failed} folder)
 * @param received folder the receiver writes each received instance to until its metadata is committed
 * @param afterCommit what happens to a received or imported file once its metadata is committed: {@code delete} it
 *                or {@code archive} it (moved under {@code archive}, by study UID)
 * @param archive folder of archived files
 * @param held    folder where the files of instances held for an identity conflict are kept, one folder per conflict
 * @param importRoots folders whose trees {@code POST /dicom/import} may read (besides the data directory); an import
 *                of any other path is refused
 * @param wadoRsBase base URL of the WADO-RS service the studies can be retrieved from (the Endpoint's address)
 * @param batchSize   instances of one study written together at most
 * @param batchMillis how long a study's batch waits for more instances before it is written
 * @param tls         TLS on the receiver's port (README: Security)
 * @param maxAssociations associations served at once; one more is rejected (transient, local limit exceeded)
 * @param maxInstanceSize the largest instance a C-STORE may bring; a larger one aborts its association
 * @param idleTimeout how long an association may send nothing before it is dropped
 */
@Validated
@ConfigurationProperties("gateway.dicom")
public record DicomProperties(
        @DefaultValue("11112") @Min(0) @Max(65535) int port,
        @DefaultValue("FHIRGATEWAY") @Pattern(regexp = "[^\\\\]{0,15}\\S", message = "must be 1 to 16 characters, no backslash") String aeTitle,
        @DefaultValue("${gateway.data-dir}/dicom-inbox") Path inbox,
        @DefaultValue("${gateway.data-dir}/dicom-received") Path received,
        @DefaultValue("delete") AfterCommit afterCommit,
        @DefaultValue("${gateway.data-dir}/dicom-archive") Path archive,
        @DefaultValue("${gateway.data-dir}/dicom-held") Path held,
        @DefaultValue List<Path> importRoots,
        @DefaultValue("http://localhost:8042/dicom-web") String wadoRsBase,
        @DefaultValue("500") @Min(1) int batchSize,
        @DefaultValue("300") @Min(1) int batchMillis,
        @DefaultValue TlsSettings tls,
        @DefaultValue("50") @Min(1) int maxAssociations,
        @DefaultValue("4GB") DataSize maxInstanceSize,
        @DefaultValue("60s") Duration idleTimeout) {

    /** What is done with a DICOM file once its metadata is stored. */
    public enum AfterCommit { DELETE, ARCHIVE }
}
