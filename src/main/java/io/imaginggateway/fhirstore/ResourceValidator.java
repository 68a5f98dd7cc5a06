package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirDefaultPolicyAdvisor;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r5.elementmodel.Element;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerFactory;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * Checks resources against the base R4 rules and the gateway's own profiles (the StructureDefinitions in
 * {@code fhir-profiles/}, one per resource type the gateway writes): what HAPI's FHIR instance validator checks, with
 * terminology checks off (codes from systems the validator cannot expand — SNOMED CT, LOINC, site codes — are not
 * errors here).
 *
 * <p>Cached for speed: the validation support chain, its worker context (StructureDefinitions, snapshots of the
 * profiles) and one instance validator and one element-model parser per thread are built once and reused. HAPI's own
 * module builds a new instance validator for every resource, which parses a table of OIDs each time: about 12 ms per
 * resource here, against 1 to 2 ms reused (and a third less again with the parser reused, which also remembers the
 * definition of each resource type). Thread-safe.
 */
public final class ResourceValidator {

    private final WorkerContextValidationSupportAdapter context;
    private final Map<String, org.hl7.fhir.r5.model.StructureDefinition> profileByType;
    private final FhirContext fhirContext;
    private final ThreadLocal<InstanceValidator> validators = ThreadLocal.withInitial(this::newValidator);
    /** The element-model parser the validator reads a resource with: built once per thread too, like the validator. */
    private final ThreadLocal<JsonParser> parsers = ThreadLocal.withInitial(this::newParser);

    private ResourceValidator(FhirContext fhirContext, WorkerContextValidationSupportAdapter context,
            Map<String, org.hl7.fhir.r5.model.StructureDefinition> profileByType) {
        this.fhirContext = fhirContext;
        this.context = context;
        this.profileByType = profileByType;
    }

    /** Loads every StructureDefinition (*.json) in the folder. */
    public static ResourceValidator fromDirectory(FhirContext fhirContext, Path directory) {
        PrePopulatedValidationSupport profiles = new PrePopulatedValidationSupport(fhirContext);
        Map<String, String> urlByType = new HashMap<>();
        Map<String, Path> fileByUrl = new HashMap<>();
        Map<String, StructureDefinition> differentialByUrl = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                StructureDefinition profile = fhirContext.newJsonParser()
                        .parseResource(StructureDefinition.class, Files.readString(file));
                profiles.addStructureDefinition(profile);
                urlByType.put(profile.getType(), profile.getUrl());
                fileByUrl.put(profile.getUrl(), file);
                differentialByUrl.put(profile.getUrl(), profile.copy());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the FHIR profiles in " + directory, e);
        }
        ValidationSupportChain chain = new ValidationSupportChain(
                fhirContext.getValidationSupport(),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext),
                profiles);
        WorkerContextValidationSupportAdapter context = new DefinitionCachingWorkerContext(chain);
        Map<String, org.hl7.fhir.r5.model.StructureDefinition> profileByType = new HashMap<>();
        urlByType.forEach((type, url) -> {
            org.hl7.fhir.r5.model.StructureDefinition snapshot =
                    context.fetchResource(org.hl7.fhir.r5.model.StructureDefinition.class, url);
            requireEveryRuleApplied(fileByUrl.get(url), differentialByUrl.get(url), snapshot);
            profileByType.put(type, withoutWarningConstraints(snapshot));
        });
        return new ResourceValidator(fhirContext, context, profileByType);
    }

    /**
     * Refuses a profile whose differential did not all make it into the snapshot the validator checks against. The
     * snapshot generator skips, without a word, a differential element out of the base resource's element order: a
     * site's added rule would silently not be checked.
     */
    private static void requireEveryRuleApplied(Path file, StructureDefinition differential,
            org.hl7.fhir.r5.model.StructureDefinition snapshot) {
        Map<String, org.hl7.fhir.r5.model.ElementDefinition> snapshotById = new HashMap<>();
        snapshot.getSnapshot().getElement().forEach(e -> snapshotById.put(e.getId(), e));
        List<String> notApplied = new ArrayList<>();
        for (org.hl7.fhir.r4.model.ElementDefinition rule : differential.getDifferential().getElement()) {
            String id = rule.hasId() ? rule.getId() : rule.getPath();
            org.hl7.fhir.r5.model.ElementDefinition applied = snapshotById.get(id);
            boolean ok = applied != null
                    && (!rule.hasMin() || applied.getMin() == rule.getMin())
                    && (!rule.hasMax() || rule.getMax().equals(applied.getMax()))
                    && rule.getConstraint().stream().allMatch(c -> applied.getConstraint().stream()
                            .anyMatch(a -> a.getKey().equals(c.getKey())));
            if (!ok) {
                notApplied.add(id);
            }
        }
        if (!notApplied.isEmpty()) {
            throw new IllegalStateException("FHIR profile " + file + ": differential element(s) " + notApplied
                    + " not applied; the elements of a differential must follow the order of the base resource's"
                    + " elements (and name elements that exist)");
        }
    }

    /**
     * The profile without its constraints of severity warning: only errors stop a write, and one of them costs much —
     * the validator rewrites dom-6 (narrative, a best practice) to compare the whole resource with itself.
     */
    private static org.hl7.fhir.r5.model.StructureDefinition withoutWarningConstraints(
            org.hl7.fhir.r5.model.StructureDefinition profile) {
        profile.getSnapshot().getElement().forEach(element -> element.getConstraint()
                .removeIf(c -> c.getSeverity() == org.hl7.fhir.r5.model.ElementDefinition.ConstraintSeverity.WARNING));
        return profile;
    }

    private InstanceValidator newValidator() {
        InstanceValidator validator = new InstanceValidator(context, new FhirInstanceValidator.NullEvaluationContext(),
                XVerExtensionManagerFactory.createExtensionManager(context), new ValidatorSession(), new ValidatorSettings());
        validator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        validator.setResourceIdRule(IdStatus.OPTIONAL);
        validator.setNoTerminologyChecks(true);
        validator.setAnyExtensionsAllowed(true);
        validator.setUnknownCodeSystemsCauseErrors(true);
        validator.setPolicyAdvisor(new FhirDefaultPolicyAdvisor());
        return validator;
    }

    private JsonParser newParser() {
        JsonParser parser = new DefinitionCachingJsonParser(context);
        parser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
        return parser;
    }

    /**
     * The element-model parser, remembering the definition of each resource type it read: its own look-up goes
     * through every StructureDefinition of the context, comparing URLs built for each one (a quarter of the
     * validation samples in a profile before this cache). Definitions do not change once the context is built; a name without one
     * still goes the parser's own way (and gets its error).
     */
    private static final class DefinitionCachingJsonParser extends JsonParser {

        private final Map<String, org.hl7.fhir.r5.model.StructureDefinition> definitionByName = new HashMap<>();

        DefinitionCachingJsonParser(WorkerContextValidationSupportAdapter context) {
            super(context);
        }

        @Override
        protected org.hl7.fhir.r5.model.StructureDefinition getDefinition(List<ValidationMessage> errors, int line,
                int col, String name) {
            return remembered(definitionByName, name, () -> super.getDefinition(errors, line, col, name));
        }
    }

    /**
     * The validator's worker context, remembering each StructureDefinition it was asked for by URL: the validator asks
     * for the definitions of element types again for every element, and each answer otherwise goes through the support
     * chain and its version handling. Definitions do not change once the context is built.
     */
    private static final class DefinitionCachingWorkerContext extends WorkerContextValidationSupportAdapter {

        private final Map<String, org.hl7.fhir.r5.model.StructureDefinition> definitionByUrl = new ConcurrentHashMap<>();

        DefinitionCachingWorkerContext(ValidationSupportChain chain) {
            super(chain);
        }

        @Override
        public <T extends org.hl7.fhir.r5.model.Resource> T fetchResource(Class<T> type, String uri) {
            if (type != org.hl7.fhir.r5.model.StructureDefinition.class || uri == null) {
                return super.fetchResource(type, uri);
            }
            return type.cast(remembered(definitionByUrl, uri, () ->
                    (org.hl7.fhir.r5.model.StructureDefinition) super.fetchResource(type, uri)));
        }
    }

    /**
     * What {@code known} holds for the key, else what {@code find} finds, kept when found. Not computeIfAbsent:
     * finding a definition may look up others in the same map (a profile's base).
     */
    private static <V> V remembered(Map<String, V> known, String key, Supplier<V> find) {
        V value = known.get(key);
        if (value == null) {
            value = find.get();
            if (value != null) {
                known.put(key, value);
            }
        }
        return value;
    }

    /** Errors (not warnings) for the resource, each as "Type: location: message"; empty when valid. */
    public List<String> errors(Resource resource) {
        List<org.hl7.fhir.r5.model.StructureDefinition> profiles = new ArrayList<>();
        if (profileByType.containsKey(resource.fhirType())) {
            profiles.add(profileByType.get(resource.fhirType()));
        }
        byte[] json = fhirContext.newJsonParser().encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8);
        List<ValidationMessage> messages = new ArrayList<>();
        try {
            Element element = parsers.get().parseSingle(new ByteArrayInputStream(json), messages);
            if (element != null) {
                validators.get().validate(null, messages, resource.fhirType(), element, profiles);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> errors = new ArrayList<>();
        messages.stream().filter(m -> m.getLevel() == ValidationMessage.IssueSeverity.ERROR
                        || m.getLevel() == ValidationMessage.IssueSeverity.FATAL)
                .forEach(m -> errors.add(resource.fhirType() + ": " + m.getLocation() + ": " + m.getMessage()));
        return errors;
    }

    /** Errors of every resource in the Bundle's entries. */
    public List<String> errors(Bundle bundle) {
        List<String> errors = new ArrayList<>();
        bundle.getEntry().forEach(entry -> errors.addAll(errors(entry.getResource())));
        return errors;
    }
}
