package io.imaginggateway.security;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The client a request was authenticated as, kept on the request itself: Camel's HTTP routes run on a thread of
 * their own, where Spring Security's thread-bound context is not.
 */
public final class Callers {

    private static final String ATTRIBUTE = "io.imaginggateway.client";

    private Callers() {
    }

    /** The token's client name ("anonymous" without one). */
    public static String of(HttpServletRequest request) {
        Object client = request.getAttribute(ATTRIBUTE);
        return client == null ? "anonymous" : client.toString();
    }

    static Filter recorder() {
        return (request, response, chain) -> {
            Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
            if (authentication != null) {
                request.setAttribute(ATTRIBUTE, authentication.getName());
            }
            chain.doFilter(request, response);
        };
    }
}
