package io.imaginggateway.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * What a client may do, read from the scopes of its token. FHIR resources: SMART App Launch v2 system scopes
 * ({@code system/ImagingStudy.rs}, {@code system/*.cruds}) and their v1 forms ({@code .read} = rs, {@code .write} = cud,
 * {@code .*} = cruds). {@code patient/} and {@code user/} scopes and scopes with a query grant nothing here: the gateway
 * has no patient or user compartments to limit them to. The gateway's own: {@value #ADMIN} (replay, import, journal
 * content, actuator details) and {@value #METRICS} (Prometheus scrape).
 */
public final class AccessGrant {

    public static final String ADMIN = "gateway/admin";
    public static final String METRICS = "gateway/metrics";
    /** The scopes of the local admin token: everything. */
    static final String EVERYTHING = "system/*.cruds " + ADMIN + " " + METRICS;
    /** Spring Security's authority prefix for scopes (its JWT converter's too). */
    static final String SCOPE_AUTHORITY = "SCOPE_";

    private static final Pattern SYSTEM_SCOPE = Pattern.compile("system/([A-Za-z]+|\\*)\\.(c?r?u?d?s?|read|write|\\*)");

    /** A FHIR interaction, by its SMART v2 letter. */
    public enum Interaction {
        CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

        private final char letter;

        Interaction(char letter) {
            this.letter = letter;
        }
    }

    private final String client;
    /** letters granted (cruds) by resource type, "*" for all types: read from the scopes once */
    private final Map<String, String> lettersByType = new HashMap<>();
    private final boolean admin;

    public AccessGrant(String client, Set<String> scopes) {
        this.client = client;
        this.admin = scopes.contains(ADMIN);
        for (String scope : scopes) {
            Matcher m = SYSTEM_SCOPE.matcher(scope);
            if (m.matches()) {
                lettersByType.merge(m.group(1), letters(m.group(2)), String::concat);
            }
        }
    }

    public static AccessGrant of(Authentication authentication) {
        return new AccessGrant(authentication.getName(), scopes(authentication.getAuthorities()));
    }

    static Set<String> parse(String spaceSeparated) {
        return Arrays.stream(spaceSeparated.strip().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    private static Set<String> scopes(Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith(SCOPE_AUTHORITY))
                .map(a -> a.substring(SCOPE_AUTHORITY.length())).collect(Collectors.toSet());
    }

    /** The client's name (its static token's, its JWT's client_id). */
    public String client() {
        return client;
    }

    public boolean allows(String resourceType, Interaction interaction) {
        return lettersByType.getOrDefault(resourceType, "").indexOf(interaction.letter) >= 0
                || lettersByType.getOrDefault("*", "").indexOf(interaction.letter) >= 0;
    }

    /** Whether the client may, or is an admin (who may do everything the API offers but write AuditEvents). */
    public boolean allowsOrAdmin(String resourceType, Interaction interaction) {
        return admin || allows(resourceType, interaction);
    }

    public boolean admin() {
        return admin;
    }

    private static String letters(String permissions) {
        return switch (permissions) {
            case "read" -> "rs";
            case "write" -> "cud";
            case "*" -> "cruds";
            default -> permissions;
        };
    }
}
