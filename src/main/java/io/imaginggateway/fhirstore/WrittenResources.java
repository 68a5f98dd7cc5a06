package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.util.FhirTerser;
import io.imaginggateway.mapping.IdentifierQuery;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * What the feeds last wrote under each conditional URL: the resource it resolved to and, for an update, a digest of
 * the content sent. A feed mostly repeats itself — the same patient and ordering physician in order after order — and
 * such an entry would make HAPI search, read, merge and compare only to write nothing. {@link #prune} drops these
 * entries from a transaction before HAPI sees it and points references at the known resource instead.
 *
 * <p>Only what is certain is skipped: an entry is remembered after its transaction committed, and forgotten as soon as
 * anything else (another feed's merge, a FHIR client's update or delete) changes that resource. Bounded (LRU).
 */
final class WrittenResources {

    private static final int CAPACITY = 50_000;

    private record Written(String resourceId, String digest) {}

    private final IParser parser;
    private final FhirTerser terser;
    private final Map<String, Set<String>> urlsById = new HashMap<>();
    private final Map<String, Written> byUrl = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
            if (size() > CAPACITY) {
                unindex(eldest.getKey(), eldest.getValue());
                return true;
            }
            return false;
        }
    };

    WrittenResources(FhirContext fhir, IInterceptorService interceptors) {
        this.parser = fhir.newJsonParser().setDontEncodeElements(List.of("*.meta"));
        this.terser = fhir.newTerser();
        interceptors.registerAnonymousInterceptor(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, (pointcut, params) ->
                forget(params.get(IBaseResource.class, 1)));
        interceptors.registerAnonymousInterceptor(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, (pointcut, params) ->
                forget(params.get(IBaseResource.class)));
    }

    /**
     * The transaction without its entries known to change nothing; null when none is left. Writes nothing else:
     * {@code bundle} is not modified.
     */
    synchronized Bundle prune(Bundle bundle) {
        Map<String, String> replaced = new HashMap<>();
        List<Bundle.BundleEntryComponent> kept = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Written written = byUrl.get(IdentifierQuery.conditionalUrl(entry));
            if (written != null && (entry.getRequest().getMethod() == Bundle.HTTPVerb.POST
                    || written.digest().equals(digest(entry.getResource())))) {
                replaced.put(entry.getFullUrl(), written.resourceId());
            } else {
                kept.add(entry);
            }
        }
        if (replaced.isEmpty()) {
            return bundle;
        }
        if (kept.isEmpty()) {
            return null;
        }
        Bundle pruned = bundle.copy();
        pruned.getEntry().removeIf(entry -> replaced.containsKey(entry.getFullUrl()));
        for (Bundle.BundleEntryComponent entry : pruned.getEntry()) {
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(entry.getResource(), Reference.class)) {
                String target = replaced.get(reference.getReference());
                if (target != null) {
                    reference.setReference(target);
                }
            }
        }
        return pruned;
    }

    /** The resource a conditional URL last resolved to, if nothing has changed it since; else null. */
    synchronized String resourceId(String conditionalUrl) {
        Written written = byUrl.get(conditionalUrl);
        return written == null ? null : written.resourceId();
    }

    /** After commit: the entries of {@code written} and where HAPI's {@code response} says they went. */
    synchronized void remember(Bundle written, Bundle response) {
        for (int i = 0; i < written.getEntry().size() && i < response.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = written.getEntry().get(i);
            String location = response.getEntry().get(i).getResponse().getLocation();
            String key = IdentifierQuery.conditionalUrl(entry);
            if (key == null || location == null) {
                continue;
            }
            String resourceId = new IdType(location).toUnqualifiedVersionless().getValue();
            Written previous = byUrl.put(key, new Written(resourceId, entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT
                    ? digest(entry.getResource()) : ""));
            if (previous != null) {
                unindex(key, previous);
            }
            urlsById.computeIfAbsent(resourceId, id -> new HashSet<>()).add(key);
        }
    }

    private synchronized void forget(IBaseResource resource) {
        if (resource == null || resource.getIdElement() == null) {
            return;
        }
        Set<String> urls = urlsById.remove(resource.getIdElement().toUnqualifiedVersionless().getValue());
        if (urls != null) {
            urls.forEach(byUrl::remove);
        }
    }

    private void unindex(String url, Written written) {
        Set<String> urls = urlsById.get(written.resourceId());
        if (urls != null && urls.remove(url) && urls.isEmpty()) {
            urlsById.remove(written.resourceId());
        }
    }

    private String digest(Resource resource) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(parser.encodeResourceToString(resource).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
