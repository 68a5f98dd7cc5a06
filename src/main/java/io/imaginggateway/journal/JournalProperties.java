package io.imaginggateway.journal;

import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.journal.*}: the record of everything that came in.
 *
 * @param contentRetentionDays  days the raw content (HL7 frames, FHIR Bundles) and the ACKs are kept
 * @param metadataRetentionDays days the rest of an entry (who, what, outcome, reason, resources) is kept; at least
 *                              as long as the content. The duplicate ledger is kept as long.
 * @param pruneChunk            rows deleted per database transaction where rows are deleted (H2; PostgreSQL rows
 *                              outside the day partitions), so that pruning never holds a lock for long
 * @param pruneIntervalMinutes  how often pruning runs
 * @param spool                 folder where failures are written when the database cannot take them (an outage);
 *                              they are moved into the journal once it can
 * @param instance              this gateway's name in the entries it writes (several gateways may share a database);
 *                              empty: the host name
 */
@Validated
@ConfigurationProperties("gateway.journal")
public record JournalProperties(
        @DefaultValue("30") @Min(1) int contentRetentionDays,
        @DefaultValue("90") @Min(1) int metadataRetentionDays,
        @DefaultValue("1000") @Min(1) int pruneChunk,
        @DefaultValue("60") @Min(1) int pruneIntervalMinutes,
        @DefaultValue("${gateway.data-dir}/journal-spool") Path spool,
        @DefaultValue("") String instance) {}
