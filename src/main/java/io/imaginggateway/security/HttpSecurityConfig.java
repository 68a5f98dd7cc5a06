package io.imaginggateway.security;

import io.imaginggateway.audit.AuditTrail;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Who may call what over HTTP. Every request needs a bearer token (static, local admin or JWT: {@link BearerTokens}),
 * except the liveness/readiness answers orchestrators poll, the CapabilityStatement and the SMART configuration.
 * <ul>
 *   <li>{@code /fhir}: any valid token; what it may read and write is the FHIR server's check of its SMART scopes
 *       ({@link SmartScopes}), per resource type and interaction;</li>
 *   <li>{@code POST /dicom/instances}: {@code system/ImagingStudy.c} (a DICOM JSON sender writes studies);</li>
 *   <li>{@code /api} (journal content, replay, conflicts), {@code /dicom/import} and actuator: {@value AccessGrant#ADMIN};
 *       the Prometheus scrape also {@value AccessGrant#METRICS}.</li>
 * </ul>
 * Answers without a token or with a bad one are 401, with one that may not 403, each an OperationOutcome, logged
 * and audited. Sessions, cookies, CSRF and form login are off: there is nothing but bearer tokens.
 */
@Configuration
@EnableConfigurationProperties(SecurityProperties.class)
class HttpSecurityConfig {

    @Bean
    SecurityFilterChain gatewaySecurity(HttpSecurity http, SecurityProperties properties, AuditTrail audit)
            throws Exception {
        String localToken = properties.localToken().enabled()
                ? LocalAdminToken.readOrCreate(properties.localToken().file()) : null;
        BearerTokens tokens = new BearerTokens(properties.tokens(), localToken, properties.jwt());
        BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
        BearerTokenAccessDeniedHandler forbidden = new BearerTokenAccessDeniedHandler();
        String admin = AccessGrant.SCOPE_AUTHORITY + AccessGrant.ADMIN;
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.principal("anonymous"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .addFilterBefore(new RequestSizeLimit(properties.maxBodySize().toBytes()), BasicAuthenticationFilter.class)
                .addFilterAfter(Callers.recorder(), BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/liveness",
                                "/actuator/health/readiness", "/.well-known/smart-configuration", "/fhir/metadata")
                        .permitAll()
                        .requestMatchers("/fhir", "/fhir/**").authenticated()
                        .requestMatchers(HttpMethod.POST, "/dicom/instances").access((authentication, context) ->
                                new AuthorizationDecision(AccessGrant.of(authentication.get())
                                        .allowsOrAdmin("ImagingStudy", AccessGrant.Interaction.CREATE)))
                        .requestMatchers("/actuator/prometheus").hasAnyAuthority(admin,
                                AccessGrant.SCOPE_AUTHORITY + AccessGrant.METRICS)
                        .anyRequest().hasAuthority(admin))
                .oauth2ResourceServer(server -> server
                        .authenticationManagerResolver(request -> tokens)
                        .authenticationEntryPoint((request, response, failure) -> {
                            challenge.commence(request, response, failure);
                            refuse(response, "login", reason(request, failure));
                            audit.authenticationFailed(request.getRemoteAddr(), request.getMethod() + " "
                                    + request.getRequestURI(), reason(request, failure));
                        })
                        .accessDeniedHandler((request, response, denied) -> {
                            forbidden.handle(request, response, denied);
                            String client = SecurityContextHolder.getContext().getAuthentication().getName();
                            String reason = "The token of " + client + " has no scope for " + request.getMethod() + " "
                                    + request.getRequestURI();
                            refuse(response, "forbidden", reason);
                            audit.accessDenied(client, request.getRemoteAddr(), reason);
                        }));
        if (properties.corsOrigins().isEmpty()) {
            http.cors(cors -> cors.disable());
        } else {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(properties.corsOrigins());
            cors.addAllowedMethod("*");
            cors.addAllowedHeader("*");
            cors.addExposedHeader("Location");
            cors.addExposedHeader("ETag");
            UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
            source.registerCorsConfiguration("/**", cors);
            http.cors(c -> c.configurationSource(source));
        }
        return http.build();
    }

    private static String reason(HttpServletRequest request, AuthenticationException failure) {
        return request.getHeader("Authorization") == null ? "No bearer token" : failure.getMessage();
    }

    /** An OperationOutcome after the status and WWW-Authenticate that Spring's handler set. */
    static void refuse(HttpServletResponse response, String code, String text)
            throws IOException {
        if (!response.isCommitted()) {
            response.setContentType("application/fhir+json");
            response.getWriter().write(OperationOutcomes.json(code, text));
        }
    }
}
