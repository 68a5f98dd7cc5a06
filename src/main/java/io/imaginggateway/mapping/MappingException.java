package io.imaginggateway.mapping;

/**
 * A message or file whose content cannot become FHIR: a required element is missing or a value is unusable. The
 * intake turns it into a negative acknowledgement (HL7 AE with ERR) or a failure status, naming {@link #field()}.
 */
public class MappingException extends RuntimeException {

    public enum Problem { REQUIRED_MISSING, SEGMENT_MISSING, INVALID_VALUE }

    private final Problem problem;
    private final String field;

    public MappingException(Problem problem, String field, String message) {
        super(message);
        this.problem = problem;
        this.field = field;
    }

    public Problem problem() {
        return problem;
    }

    /** Where, in the source's own terms: {@code PID-3}, {@code ORC}, {@code (0020,000D)}. */
    public String field() {
        return field;
    }
}
