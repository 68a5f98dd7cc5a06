package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import org.junit.jupiter.api.Test;

class DatabaseKindTest {

    @Test
    void theJdbcUrlChoosesDialectAndMigrationDriver() {
        DatabaseKind h2 = DatabaseKind.fromJdbcUrl("jdbc:h2:file:./data/fhir-db");
        assertThat(h2.dialectClassName()).endsWith("HapiFhirH2Dialect");
        assertThat(h2.migrationDriver()).isEqualTo(DriverTypeEnum.H2_EMBEDDED);

        DatabaseKind postgres = DatabaseKind.fromJdbcUrl("jdbc:postgresql://db:5432/fhir?currentSchema=gw");
        assertThat(postgres.dialectClassName()).endsWith("HapiFhirPostgresDialect");
        assertThat(postgres.migrationDriver()).isEqualTo(DriverTypeEnum.POSTGRES_9_4);
    }

    @Test
    void anUnsupportedDatabaseIsRefusedByName() {
        assertThatThrownBy(() -> DatabaseKind.fromJdbcUrl("jdbc:mysql://db/fhir"))
                .hasMessageContaining("jdbc:mysql://db/fhir").hasMessageContaining("PostgreSQL");
    }
}
