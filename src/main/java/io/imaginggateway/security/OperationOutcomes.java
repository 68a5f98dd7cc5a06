package io.imaginggateway.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** The OperationOutcome JSON of a refused HTTP request (written by filters, before any controller). */
final class OperationOutcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OperationOutcomes() {
    }

    static String json(String code, String text) {
        try {
            return JSON.writeValueAsString(Map.of("resourceType", "OperationOutcome", "issue", List.of(Map.of(
                    "severity", "error", "code", code, "diagnostics", text))));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
