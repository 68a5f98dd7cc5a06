package io.imaginggateway.fhirstore;

import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import io.imaginggateway.linking.StoredIdentity;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The identity ({@link StoredIdentity}: subject and identifiers) of stored resources, kept so that the link step need
 * not read a whole resource to know whose it is — a study's ImagingStudy grows with every instance and is linked again
 * with every C-STORE batch.
 *
 * <p>Only committed state is kept: a write removes the resource's entry at once and, when its database transaction
 * commits, puts what it wrote; a rollback leaves it removed. A reader that missed reads the database and puts what it
 * read only if nothing was written meanwhile (else it could put back what a commit just replaced). A deleted resource's
 * entry may stay, harmlessly: entries are looked up only for the ids a search of the store found. Bounded (LRU).
 */
final class StoredIdentities {

    private static final int CAPACITY = 20_000;

    private final Map<String, StoredIdentity> byId = new LeastRecentlyUsedMap<>(CAPACITY);
    /** Resources being written by a transaction that has not ended, with how many transactions write them. */
    private final Map<String, Integer> writing = new HashMap<>();
    /** Counts writes begun and ended: a reader's put is stale if it changed while the reader read. */
    private long writes;

    StoredIdentities(IInterceptorService interceptors) {
        interceptors.registerAnonymousInterceptor(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED, (pointcut, params) ->
                written(params.get(IBaseResource.class), false));
        interceptors.registerAnonymousInterceptor(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED, (pointcut, params) ->
                written(params.get(IBaseResource.class, 1), false));
        interceptors.registerAnonymousInterceptor(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED, (pointcut, params) ->
                written(params.get(IBaseResource.class), true));
    }

    /** The identity of a stored resource ({@code Type/id}), from here or else read by {@code read} and kept. */
    StoredIdentity get(String id, Function<String, IBaseResource> read) {
        long before;
        synchronized (this) {
            StoredIdentity known = byId.get(id);
            if (known != null) {
                return known;
            }
            before = writes;
        }
        StoredIdentity identity = StoredIdentity.of(read.apply(id));
        synchronized (this) {
            if (writes == before && !writing.containsKey(id)) {
                byId.put(id, identity);
            }
        }
        return identity;
    }

    /** A resource was written (or deleted) in the current database transaction. */
    private void written(IBaseResource resource, boolean deleted) {
        StoredIdentity written = StoredIdentity.of(resource);
        String id = written.id();
        StoredIdentity identity = deleted ? null : written;
        synchronized (this) {
            writes++;
            byId.remove(id);
            writing.merge(id, 1, Integer::sum);
        }
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            ended(id, identity, true);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                ended(id, identity, status == STATUS_COMMITTED);
            }
        });
    }

    private synchronized void ended(String id, StoredIdentity identity, boolean committed) {
        writes++;
        writing.computeIfPresent(id, (key, count) -> count == 1 ? null : count - 1);
        if (committed && identity != null && !writing.containsKey(id)) {
            byId.put(id, identity);
        } else {
            byId.remove(id);
        }
    }
}
