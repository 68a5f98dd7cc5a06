package io.imaginggateway.fhirstore;

import ca.uhn.fhir.jpa.migrate.DriverTypeEnum;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirH2Dialect;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;

/**
 * The databases the gateway runs on, told apart by JDBC URL so that setting {@code spring.datasource.url} is enough
 * to switch: the Hibernate dialect and HAPI's migration driver follow from it.
 */
public enum DatabaseKind {
    H2("jdbc:h2:", HapiFhirH2Dialect.class, DriverTypeEnum.H2_EMBEDDED),
    POSTGRES("jdbc:postgresql:", HapiFhirPostgresDialect.class, DriverTypeEnum.POSTGRES_9_4);

    private final String urlPrefix;
    private final Class<?> dialect;
    private final DriverTypeEnum migrationDriver;

    DatabaseKind(String urlPrefix, Class<?> dialect, DriverTypeEnum migrationDriver) {
        this.urlPrefix = urlPrefix;
        this.dialect = dialect;
        this.migrationDriver = migrationDriver;
    }

    public static DatabaseKind fromJdbcUrl(String url) {
        for (DatabaseKind kind : values()) {
            if (url != null && url.startsWith(kind.urlPrefix)) {
                return kind;
            }
        }
        throw new IllegalStateException("Unsupported database URL '" + url
                + "': the gateway runs on H2 (jdbc:h2:) or PostgreSQL (jdbc:postgresql:)");
    }

    String dialectClassName() {
        return dialect.getName();
    }

    DriverTypeEnum migrationDriver() {
        return migrationDriver;
    }
}
