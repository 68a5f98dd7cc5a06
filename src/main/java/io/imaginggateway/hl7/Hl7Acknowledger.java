package io.imaginggateway.hl7;

import io.imaginggateway.fhirstore.FhirStore;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last step of the MLLP route: the acknowledgement the sender receives, in the message's own character set.
 * <ul>
 *   <li>AA once the message's resources are committed (or it was a duplicate of one that was), with the mappers'
 *       warnings as ERR segments of severity W (v2.5 and later);</li>
 *   <li>AE when the content cannot be mapped (ERR code 101 required field missing, 100 segment missing, 102 bad
 *       value, with the field) or stored (207);</li>
 *   <li>AR when the message is refused unread: unreadable, unsupported type (200), trigger (201) or version (203).</li>
 * </ul>
 */
@Component("hl7Acknowledger")
public class Hl7Acknowledger {

    /** Exchange property holding the mapped message until it is acknowledged. */
    public static final String MAPPED = "hl7Mapped";

    private static final Logger log = LoggerFactory.getLogger(Hl7Acknowledger.class);

    public void accepted(Exchange exchange) {
        MshHeader msh = exchange.getProperty(Hl7Intake.HEADER, MshHeader.class);
        MappingContext.Mapped mapped = exchange.getProperty(MAPPED, MappingContext.Mapped.class);
        FhirStore.Result result = exchange.getIn().getBody(FhirStore.Result.class);
        if (result != null && result.outcome() == FhirStore.Outcome.DUPLICATE) {
            log.info("HL7 {} {} from {} was stored before: acknowledged again, nothing written", msh.messageCode(),
                    msh.controlId(), msh.sender());
        }
        List<Acknowledgement.Problem> warnings = mapped == null ? List.of()
                : mapped.warnings().stream().map(Acknowledgement.Problem::warning).toList();
        send(exchange, msh, Acknowledgement.Code.AA, warnings);
    }

    public void rejected(Exchange exchange) {
        MshHeader msh = exchange.getProperty(Hl7Intake.HEADER, MshHeader.class);
        if (msh == null) {
            msh = MshHeader.UNREADABLE;
        }
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Acknowledgement.Code code;
        Acknowledgement.Problem problem;
        if (failure instanceof Hl7Rejection rejection) {
            code = rejection.code();
            problem = rejection.problem();
        } else if (failure instanceof MappingException mapping) {
            code = Acknowledgement.Code.AE;
            String errorCode = switch (mapping.problem()) {
                case REQUIRED_MISSING -> "101";
                case SEGMENT_MISSING -> "100";
                case INVALID_VALUE -> "102";
            };
            problem = Acknowledgement.Problem.error(errorCode, mapping.field(), mapping.getMessage());
        } else {
            code = Acknowledgement.Code.AE;
            String reason = failure == null ? "unknown error" : failure.getMessage();
            problem = Acknowledgement.Problem.error("207", "", "The message could not be stored: " + reason);
            log.error("HL7 {} {} from {} could not be stored", msh.messageCode(), msh.controlId(), msh.sender(), failure);
        }
        log.warn("HL7 {}^{} {} from {} answered {} ({} {}): {}", msh.messageCode(), msh.triggerEvent(), msh.controlId(),
                msh.sender(), code, problem.code(), problem.location(), problem.text());
        send(exchange, msh, code, List.of(problem));
    }

    private static void send(Exchange exchange, MshHeader msh, Acknowledgement.Code code, List<Acknowledgement.Problem> problems) {
        Charset charset = exchange.getProperty(Hl7Intake.CHARSET, StandardCharsets.UTF_8, Charset.class);
        String ack = Acknowledgement.build(msh, code, problems);
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack.getBytes(charset));
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, code.name());
    }
}
