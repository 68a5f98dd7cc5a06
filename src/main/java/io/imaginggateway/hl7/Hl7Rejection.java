package io.imaginggateway.hl7;

/** A message refused before mapping (unreadable, unsupported type or version): answered with {@link #code()}. */
public class Hl7Rejection extends RuntimeException {

    private final Acknowledgement.Code code;
    private final Acknowledgement.Problem problem;

    Hl7Rejection(Acknowledgement.Code code, String errorCode, String location, String text) {
        super(text);
        this.code = code;
        this.problem = Acknowledgement.Problem.error(errorCode, location, text);
    }

    public Acknowledgement.Code code() {
        return code;
    }

    public Acknowledgement.Problem problem() {
        return problem;
    }
}
