package io.imaginggateway.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.parser.PipeParser;
import io.github.linuxforhealth.hl7.HL7ToFHIRConverter;
import io.imaginggateway.hl7.Hl7Decoder;
import io.imaginggateway.hl7.Hl7Intake;
import io.imaginggateway.mapping.CodeTranslations;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.PatientIdentity;
import io.imaginggateway.site.FieldRuleFile;
import io.imaginggateway.mapping.v2.V2Message;
import io.imaginggateway.mapping.v2.V2MessageToBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;

/**
 * Conversion only, in one JVM: the same HL7 v2 orders and reports (the golden files) to FHIR Bundle JSON, by the gateway's
 * mappers and by LinuxForHealth's hl7v2-fhir-converter 1.0.19. Each side parses the message text itself and ends with
 * the Bundle as JSON text; no storage. Messages the peer cannot convert are left out of both sides.
 *
 * <p>Usage: {@code ConversionBench <golden folder> <seconds per measurement>}; prints RESULT lines per kind of message
 * (orders, reports: files named {@code oru-*}).
 */
public final class ConversionBench {

    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args[0]);
        double seconds = Double.parseDouble(args[1]);
        FhirContext fhir = FhirContext.forR4Cached();
        CodeTranslations codes = CodeTranslations.load(fhir, null);
        MappingRules rules = new MappingRules("default", ZoneId.of("Europe/Berlin"), true, Map.of(), "urn:id:local-mrn",
                "urn:id:local-accession", "http://imaginggateway.io/fhir/NamingSystem/local-", new PatientIdentity(PatientIdentity.DEFAULT_TYPES, true),
                MappingRules.Obr24Meaning.MODALITY, new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology"),
                "imaging", Set.of("TX", "FT"), codes, FieldRuleFile.read(Path.of("camel-routes/field-rules.yaml"), codes));
        PipeParser parser = Hl7Intake.newParser();
        Hl7Decoder decoder = new Hl7Decoder("auto");
        Function<String, String> gateway = text -> {
            try {
                return fhir.newJsonParser().encodeResourceToString(
                        V2MessageToBundle.map(V2Message.read(parser.parse(text)), rules).bundle());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        HL7ToFHIRConverter linuxForHealth = new HL7ToFHIRConverter();
        Function<String, String> peer = linuxForHealth::convert;

        Map<String, List<String>> messages = new TreeMap<>();
        Map<String, List<String>> names = new TreeMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".hl7")).sorted().toList()) {
                String text = decoder.decode(Files.readAllBytes(file)).text();
                String kind = file.getFileName().toString().startsWith("oru-") ? "reports" : "orders";
                try {
                    String out = peer.apply(text);
                    gateway.apply(text);
                    if (out != null && out.contains("\"resourceType\"")) {
                        messages.computeIfAbsent(kind, k -> new ArrayList<>()).add(text);
                        names.computeIfAbsent(kind, k -> new ArrayList<>()).add(file.getFileName().toString());
                        continue;
                    }
                } catch (RuntimeException e) {
                    System.out.println("SKIP " + file.getFileName() + ": LinuxForHealth cannot convert it: " + e.getMessage());
                    continue;
                }
                System.out.println("SKIP " + file.getFileName() + ": LinuxForHealth returned no Bundle");
            }
        }
        for (String kind : messages.keySet()) {
            // alternate rounds so that neither side runs only on a cold or only on a warm JIT
            double[] best = new double[2];
            for (int round = 0; round < 3; round++) {
                best[0] = Math.max(best[0], measure(gateway, messages.get(kind), seconds));
                best[1] = Math.max(best[1], measure(peer, messages.get(kind), seconds));
            }
            System.out.printf(Locale.ROOT, "RESULT kind=%s messages=%s%n", kind, String.join(",", names.get(kind)));
            System.out.printf(Locale.ROOT, "RESULT kind=%s converter=gateway msg_per_s=%.0f%n", kind, best[0]);
            System.out.printf(Locale.ROOT, "RESULT kind=%s converter=linuxforhealth-1.0.19 msg_per_s=%.0f%n", kind, best[1]);
            System.out.printf(Locale.ROOT, "RESULT kind=%s ratio=%.1f%n", kind, best[0] / best[1]);
        }
    }

    private static double measure(Function<String, String> converter, List<String> messages, double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        long count = 0;
        long sink = 0;
        while (System.nanoTime() < end) {
            for (String message : messages) {
                sink += converter.apply(message).length();
                count++;
            }
        }
        if (sink == 0) {
            throw new IllegalStateException("nothing converted");
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }
}
