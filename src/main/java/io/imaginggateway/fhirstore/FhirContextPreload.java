package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.config.r4.FhirContextR4Config;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Builds the R4 {@link FhirContext} and parses the R4 StructureDefinitions on a background thread from the first
 * moment of start-up, while the main thread is busy parsing Spring configuration.
 *
 * <p>Both are needed before the JPA layer can start (HAPI's search-parameter extractor runs FHIRPath over the
 * definitions) and took about 4 s on the main thread. Each application start consumes its own preload; a second
 * start in the same JVM (tests) builds its context directly.
 */
public final class FhirContextPreload implements ApplicationListener<ApplicationStartingEvent> {

    private static final AtomicReference<CompletableFuture<FhirContext>> pending = new AtomicReference<>();

    @Override
    public void onApplicationEvent(ApplicationStartingEvent event) {
        CompletableFuture<FhirContext> preload = new CompletableFuture<>();
        Thread worker = new Thread(() -> {
            try {
                preload.complete(newContext(true));
            } catch (RuntimeException | Error e) {
                preload.completeExceptionally(e);
            }
        }, "fhir-context-preload");
        worker.setDaemon(true);
        worker.start();
        pending.set(preload);
    }

    /** The preloaded context if this start made one, else a new one. */
    static FhirContext take() {
        CompletableFuture<FhirContext> preload = pending.getAndSet(null);
        return preload != null ? preload.join() : newContext(false);
    }

    private static FhirContext newContext(boolean loadDefinitions) {
        FhirContext context = FhirContextR4Config.configureFhirContext(FhirContext.forR4());
        if (loadDefinitions) {
            // The parsed definitions are cached per FHIR version inside HAPI, for every context of this JVM.
            context.getValidationSupport().fetchAllStructureDefinitions();
        }
        return context;
    }
}
