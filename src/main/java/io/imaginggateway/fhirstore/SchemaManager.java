package io.imaginggateway.fhirstore;

import ca.uhn.fhir.jpa.migrate.HapiMigrationStorageSvc;
import ca.uhn.fhir.jpa.migrate.MigrationTaskList;
import ca.uhn.fhir.jpa.migrate.SchemaMigrator;
import ca.uhn.fhir.jpa.migrate.dao.HapiMigrationDao;
import ca.uhn.fhir.jpa.migrate.tasks.HapiFhirJpaMigrationTasks;
import ca.uhn.fhir.util.VersionEnum;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database schema to the version this HAPI release needs, with HAPI's own migrator (the same task list
 * the {@code hapi-fhir-cli migrate-database} command runs): an empty database gets HAPI's current schema script,
 * an older one gets the missing migration steps, each recorded in {@code FLY_HFJ_MIGRATION}. Hibernate never
 * changes the schema ({@code hbm2ddl.auto=none}). The gateway's own tables ({@link GatewaySchema}) follow, by the
 * same migrator, recorded in their own table. HAPI's migrator takes a lock in its table while it runs, so gateways
 * starting together on one database migrate it once.
 */
final class SchemaManager {

    private static final Logger log = LoggerFactory.getLogger(SchemaManager.class);
    static final String MIGRATION_TABLE = SchemaMigrator.HAPI_FHIR_MIGRATION_TABLENAME;

    private SchemaManager() {}

    static void prepare(DataSource dataSource, DatabaseKind kind, FhirStoreProperties.SchemaMode mode) {
        long start = System.nanoTime();
        prepare(dataSource, kind, mode, "HAPI FHIR", MIGRATION_TABLE,
                new HapiFhirJpaMigrationTasks(Set.of()).getAllTasks(VersionEnum.values()));
        prepare(dataSource, kind, mode, "Imaging gateway", GatewaySchema.MIGRATION_TABLE,
                new GatewaySchema().getAllTasks(GatewaySchema.Release.values()));
        if (mode == FhirStoreProperties.SchemaMode.MIGRATE) {
            log.info("Database schema ready ({}) in {} ms", kind, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private static void prepare(DataSource dataSource, DatabaseKind kind, FhirStoreProperties.SchemaMode mode,
            String name, String table, MigrationTaskList tasks) {
        HapiMigrationStorageSvc storage =
                new HapiMigrationStorageSvc(new HapiMigrationDao(dataSource, kind.migrationDriver(), table));
        SchemaMigrator migrator = new SchemaMigrator(name, table, dataSource, new Properties(), tasks, storage);
        migrator.setDriverType(kind.migrationDriver());
        if (mode == FhirStoreProperties.SchemaMode.MIGRATE) {
            migrator.createMigrationTableIfRequired();
            migrator.migrate();
        } else {
            migrator.validate();
        }
    }
}
