package io.imaginggateway.mapping;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;

/**
 * The {@code identifier=s|v,s|v} query that names a resource by its business identifiers in a conditional URL, and
 * back: {@code system|value} as a FHIR token search value in a URL query. \ , | and $ in either part are escaped
 * with a backslash (FHIR search), and the characters a query string gives a meaning (% & # + = and space) are
 * percent-encoded, so that an order number such as {@code 661&2} stays one value.
 */
public final class IdentifierQuery {

    private static final String PARAMETER = "identifier=";

    private IdentifierQuery() {}

    /** {@code identifier=<token>,<token>}: a resource with any one of the identifiers. */
    public static String of(List<Identifier> identifiers) {
        return PARAMETER + String.join(",", identifiers.stream().map(IdentifierQuery::token).toList());
    }

    /** One identifier as a token search value. */
    public static String token(Identifier identifier) {
        return escape(identifier.getSystem()) + "|" + escape(identifier.getValue());
    }

    /**
     * The identifiers of a conditional URL or query ({@code Type?identifier=...} or {@code identifier=...}), each with
     * system and value only; empty when it names its resource otherwise.
     */
    public static List<Identifier> parse(String url) {
        int start = url.indexOf(PARAMETER);
        if (start < 0 || start > 0 && url.charAt(start - 1) != '?' || url.indexOf('&', start) >= 0) {
            return List.of();
        }
        List<Identifier> identifiers = new ArrayList<>();
        for (String token : tokens(url.substring(start + PARAMETER.length()))) {
            List<String> parts = split(token, '|');
            if (parts.size() == 2) {
                identifiers.add(new Identifier().setSystem(unescape(parts.get(0))).setValue(unescape(parts.get(1))));
            }
        }
        return identifiers;
    }

    /** {@code Type?query} of a conditional update or create ({@code ifNoneExist}); null for any other entry. */
    public static String conditionalUrl(Bundle.BundleEntryComponent entry) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        if (request.getMethod() == Bundle.HTTPVerb.PUT && request.getUrl() != null && request.getUrl().contains("?")) {
            return request.getUrl();
        }
        if (request.getMethod() == Bundle.HTTPVerb.POST && request.hasIfNoneExist()) {
            return request.getUrl() + "?" + request.getIfNoneExist();
        }
        return null;
    }

    /** The comma-separated tokens of an {@code identifier=} value, as written (still escaped). */
    public static List<String> tokens(String values) {
        return split(values, ',');
    }

    /** Splits at {@code separator} where it is not escaped with a backslash. */
    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                current.append(c).append(text.charAt(++i));
            } else if (c == separator) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String escape(String part) {
        if (part == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder();
        for (char c : part.toCharArray()) {
            if ("\\,|$".indexOf(c) >= 0) {
                escaped.append('\\').append(c);
            } else if ("%&#+= ".indexOf(c) >= 0) {
                escaped.append('%').append(String.format("%02X", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String unescape(String part) {
        String decoded = URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '\\' && i + 1 < decoded.length()) {
                c = decoded.charAt(++i);
            }
            plain.append(c);
        }
        return plain.isEmpty() ? null : plain.toString();
    }
}
