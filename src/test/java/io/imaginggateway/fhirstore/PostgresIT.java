package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayInstance;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a real PostgreSQL: HAPI's migrator builds the schema, HAPI's PostgreSQL dialect runs the queries.
 * Uses a schema of its own in the database named by GATEWAY_TEST_POSTGRES_URL (default: the local {@code test}
 * database) and drops it afterwards. Skipped, saying so, where no PostgreSQL answers.
 */
class PostgresIT {

    private static final String URL = System.getenv().getOrDefault(
            "GATEWAY_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_USER", "postgres");
    private static final String PASSWORD = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_PASSWORD", "");

    private final String schema = "gateway_it_" + UUID.randomUUID().toString().substring(0, 8);
    private boolean schemaCreated;

    @TempDir
    Path dataDir;

    @BeforeEach
    void createSchema() {
        DriverManager.setLoginTimeout(3);
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            schemaCreated = true;
        } catch (SQLException e) {
            String why = "PostgreSQL not reachable at " + URL + " as " + USER + " (" + e.getMessage()
                    + "); set GATEWAY_TEST_POSTGRES_URL/_USER/_PASSWORD to run this test";
            System.err.println("SKIPPED PostgresIT: " + why);
            Assumptions.abort(why);
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (!schemaCreated) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void gatewayCreatesItsSchemaAndServesFromPostgres() {
        Map<String, Object> postgres = Map.of(
                "spring.datasource.url", URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                "spring.datasource.username", USER,
                "spring.datasource.password", PASSWORD);
        StudyFixture study;
        try (GatewayInstance gateway = GatewayInstance.start(dataDir, postgres)) {
            assertThat(gateway.bean(DatabaseKind.class)).isEqualTo(DatabaseKind.POSTGRES);
            study = new StudyFixture().store(gateway.fhirClient());
            Bundle byModality = gateway.fhirClient().search().byUrl("ImagingStudy?modality=CT&identifier:of-type="
                    + StudyFixture.V2_0203 + "|ACSN|" + study.accession).returnBundle(Bundle.class).execute();
            assertThat(byModality.getEntry()).extracting(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue())
                    .containsExactly(study.studyId);
        }
        // second start on the migrated schema: validates instead of re-creating
        try (GatewayInstance gateway = GatewayInstance.start(dataDir, postgres)) {
            assertThat(gateway.fhirClient().read().resource("ImagingStudy").withId(study.studyId).execute()).isNotNull();
        }
    }
}
