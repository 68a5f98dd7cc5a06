package io.imaginggateway.dicom;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads Camel's platform-http routes (camel-routes/dicom-http.camel.yaml) answer HTTP requests on. Spring Boot
 * would make one, but backs off because HAPI defines executors of its own.
 */
@Configuration
class HttpRouteExecutor {

    @Bean
    ThreadPoolTaskExecutor httpRouteTaskExecutor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(2);
        executor.setMaxPoolSize(8);
        executor.setThreadNamePrefix("http-route-");
        return executor;
    }
}
