package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Checks resources against the base R4 rules and the gateway's own profiles (the StructureDefinitions in
 * {@code fhir-profiles/}, one per resource type the gateway writes). The golden-file tests run every mapped Bundle
 * through it.
 */
public final class ProfileValidator {

    private final FhirValidator validator;
    private final Map<String, String> profileByType;

    private ProfileValidator(FhirValidator validator, Map<String, String> profileByType) {
        this.validator = validator;
        this.profileByType = profileByType;
    }

    /** Loads every StructureDefinition (*.json) in the folder. */
    public static ProfileValidator fromDirectory(FhirContext fhirContext, Path directory) {
        PrePopulatedValidationSupport profiles = new PrePopulatedValidationSupport(fhirContext);
        Map<String, String> profileByType = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                StructureDefinition profile = fhirContext.newJsonParser()
                        .parseResource(StructureDefinition.class, Files.readString(file));
                profiles.addStructureDefinition(profile);
                profileByType.put(profile.getType(), profile.getUrl());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the FHIR profiles in " + directory, e);
        }
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhirContext),
                new CommonCodeSystemsTerminologyService(fhirContext),
                new InMemoryTerminologyServerValidationSupport(fhirContext),
                new SnapshotGeneratingValidationSupport(fhirContext),
                profiles);
        FhirValidator validator = fhirContext.newValidator();
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        // codes from systems the validator cannot expand (SNOMED CT, LOINC, site codes) are not errors here
        instanceValidator.setNoTerminologyChecks(true);
        validator.registerValidatorModule(instanceValidator);
        return new ProfileValidator(validator, profileByType);
    }

    /** Errors (not warnings) for the resource, each as "Type: location: message"; empty when valid. */
    public List<String> errors(Resource resource) {
        ValidationOptions options = new ValidationOptions();
        String profile = profileByType.get(resource.fhirType());
        if (profile != null) {
            options.addProfile(profile);
        }
        List<String> errors = new ArrayList<>();
        validator.validateWithResult(resource, options).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .forEach(m -> errors.add(resource.fhirType() + ": " + m.getLocationString() + ": " + m.getMessage()));
        return errors;
    }

    /** Errors of every resource in the Bundle's entries. */
    public List<String> errors(Bundle bundle) {
        List<String> errors = new ArrayList<>();
        bundle.getEntry().forEach(entry -> errors.addAll(errors(entry.getResource())));
        return errors;
    }
}
