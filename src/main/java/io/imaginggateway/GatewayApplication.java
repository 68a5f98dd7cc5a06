package io.imaginggateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** One process: the embedded HAPI FHIR JPA server at /fhir and the Camel routes loaded from camel-routes/. */
@SpringBootApplication
@ConfigurationPropertiesScan
// the journal's spool and pruning
@EnableScheduling
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
