package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.imaginggateway.linking.IdentityLinker;
import io.imaginggateway.metrics.GatewayMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The gateway's one way to write FHIR: transactions against the embedded JPA server, in process (no HTTP to itself).
 *
 * <p>All writes go through one writer thread. That makes the identity rules hold under concurrency (two messages for
 * one new patient arriving on two connections cannot both create it, and the link step checks exactly what the write
 * will change), and lets the writer commit the transactions that queued up while it was busy in one database
 * transaction (group commit): under load, the per-commit cost is shared, while a lone message is still written at
 * once. Each message's Bundle stays its own FHIR transaction: if a group fails, its Bundles are written again one by
 * one so that only the bad one fails.
 *
 * <p>Each Bundle is validated as mapped on the caller's thread, then goes through the link step on the writer
 * ({@link IdentityLinker}: identity rules, conditional URLs resolved), then HAPI, where every resource version is
 * merged with the stored one ({@code linking.MergeOnUpdate}) and, when the merge made it differ from what was
 * validated, validated again ({@link ValidationBeforeStorage}) before the commit. A Bundle from a source message that was stored before (same
 * sender, ID and content) is answered {@link Outcome#DUPLICATE} and writes nothing.
 */
@Component
public class FhirStore implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FhirStore.class);
    private static final int MAX_GROUP = 64;

    /** What became of a stored Bundle. */
    public enum Outcome { STORED, DUPLICATE }

    /** HAPI's response Bundle (null for a duplicate). */
    public record Result(Outcome outcome, Bundle response) {

        /** {@code Type/id/_history/version} of each resource written. */
        public List<String> resources() {
            return response == null ? List.of() : response.getEntry().stream().map(e -> e.getResponse().getLocation())
                    .filter(location -> location != null && !location.isEmpty()).toList();
        }
    }

    /** One Bundle of {@link #storeEach}: its result, or why it was not stored. */
    public record Attempt(Result result, RuntimeException failure) {}

    /** What to record in the database transaction that writes a Bundle (e.g. its journal entry), given the result. */
    @FunctionalInterface
    public interface InTransaction {
        void written(Result result);
    }

    /**
     * A Bundle to write.
     *
     * @param message the source message it was mapped from: written at most once (null: no such check)
     * @param record  what to record in the same database transaction (null: nothing)
     */
    public record Write(Bundle bundle, SourceMessage message, InTransaction record) {
        public Write(Bundle bundle) {
            this(bundle, null, null);
        }
    }

    private record Pending(Write write, CompletableFuture<Result> done) {
        Bundle bundle() {
            return write.bundle();
        }

        SourceMessage message() {
            return write.message();
        }
    }

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final TransactionTemplate transactions;
    private final TransactionTemplate readOnly;
    private final WrittenResources written;
    private final IdentityLinker linker;
    private final ValidationBeforeStorage validation;
    private final GatewayMetrics metrics;
    private final MessageLedger ledger;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile Thread writer;

    FhirStore(IFhirSystemDao<Bundle, Meta> systemDao, PlatformTransactionManager transactionManager, JdbcTemplate jdbc,
            FhirContext fhirContext, IInterceptorService interceptors, DaoRegistry daos, MatchUrlService matchUrls,
            ValidationBeforeStorage validation, GatewayMetrics metrics) {
        this.systemDao = systemDao;
        this.metrics = metrics;
        this.ledger = new MessageLedger(jdbc);
        this.validation = validation;
        this.linker = new IdentityLinker(new StoredResourceSearch(daos, matchUrls, fhirContext,
                new StoredIdentities(interceptors)));
        this.written = new WrittenResources(fhirContext, interceptors);
        this.transactions = new TransactionTemplate(transactionManager);
        this.readOnly = new TransactionTemplate(transactionManager);
        readOnly.setReadOnly(true);
    }

    /**
     * Writes a transaction (or batch) Bundle and returns once it is committed.
     *
     * @throws RuntimeException why nothing of the Bundle is stored: an {@code IdentityConflict}, a validation failure
     *         (HAPI's 4xx exceptions), a database failure
     */
    public Result store(Bundle bundle) {
        return store(new Write(bundle));
    }

    /**
     * As {@link #store(Bundle)}, written at most once per source message (sender, ID, content), with what to record in
     * the same transaction.
     */
    public Result store(Write write) {
        Attempt attempt = submit(List.of(new Pending(write, new CompletableFuture<>()))).get(0);
        if (attempt.failure() != null) {
            throw attempt.failure();
        }
        return attempt.result();
    }

    /**
     * Writes several transaction Bundles, each its own FHIR transaction stored or not independently of the others, and
     * returns once all are done: the writer commits them in groups, as it does with Bundles that arrive together.
     */
    public List<Attempt> storeEach(List<Write> writes) {
        return submit(writes.stream().map(w -> new Pending(w, new CompletableFuture<>())).toList());
    }

    /**
     * Whether a transaction could be written: the link step on what is stored now (read-only) and the validation of
     * its resources as mapped, on the caller's thread — a quick answer to a sender; the write checks both again.
     *
     * @throws io.imaginggateway.linking.IdentityConflict when its identifiers conflict with what is stored
     * @throws ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException when a resource is not valid
     */
    public void check(Bundle bundle) {
        readOnly.executeWithoutResult(status -> linker.link(bundle));
        validation.check(bundle);
    }

    /**
     * Each Bundle is validated as mapped on the caller's thread (the writer validates only what a merge changes), then
     * queued for the writer; one that is not valid fails at once.
     */
    private List<Attempt> submit(List<Pending> pending) {
        if (writer == null) {
            throw new IllegalStateException("The FHIR store is not running");
        }
        for (Pending one : pending) {
            try {
                validation.check(one.bundle());
                queue.add(one);
            } catch (RuntimeException invalid) {
                failed(one);
                one.done().completeExceptionally(invalid);
            }
        }
        List<Attempt> attempts = new ArrayList<>();
        for (Pending one : pending) {
            try {
                attempts.add(new Attempt(one.done().get(), null));
            } catch (ExecutionException e) {
                attempts.add(new Attempt(null, e.getCause() instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(e.getCause())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the FHIR store", e);
            }
        }
        return attempts;
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                group.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(group, MAX_GROUP - 1);
            try {
                write(group);
            } catch (Throwable e) { // an Error must not end the only writer: every later message would wait forever
                log.error("Writing {} transactions failed", group.size(), e);
                group.forEach(p -> p.done().completeExceptionally(e));
            }
            group.clear();
        }
        queue.forEach(p -> p.done().completeExceptionally(new IllegalStateException("The FHIR store stopped")));
    }

    private void write(List<Pending> group) {
        if (group.size() > 1 && group.stream().allMatch(p -> p.bundle().getType() == Bundle.BundleType.TRANSACTION)) {
            try {
                List<Written> results = transactions.execute(status -> writeTogether(group));
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).done().complete(committed(results.get(i)));
                }
                return;
            } catch (RuntimeException e) {
                log.debug("A group of {} transactions failed; writing them one by one", group.size(), e);
            }
        }
        for (Pending pending : group) {
            try {
                pending.done().complete(pending.bundle().getType() == Bundle.BundleType.BATCH
                        ? writeBatch(pending)
                        : committed(transactions.execute(status -> writeTogether(List.of(pending)).get(0))));
            } catch (RuntimeException e) {
                failed(pending);
                pending.done().completeExceptionally(e);
            }
        }
    }

    /** What one transaction Bundle wrote (before commit): its entries as mapped (null: none written) and the answer. */
    record Written(Result result, Bundle sent) {}

    /**
     * Transaction Bundles, inside the database transaction the caller opened, in as few HAPI transactions as
     * possible: Bundles that name different resources are sent as one (HAPI's cost is largely per transaction: its
     * look-ups of what the entries name, the flush). A Bundle naming a resource that an earlier one in the same HAPI
     * transaction writes starts the next one, so each is linked to, and sees, the other's result exactly as if alone.
     */
    private List<Written> writeTogether(List<Pending> group) {
        Written[] results = new Written[group.size()];
        TransactionChunk chunk = new TransactionChunk();
        for (int i = 0; i < group.size(); i++) {
            Pending pending = group.get(i);
            SourceMessage message = pending.message();
            if (message != null && ledger.contains(message)) {
                results[i] = new Written(new Result(Outcome.DUPLICATE, null), null);
                continue;
            }
            Bundle changes = written.prune(pending.bundle());
            if (chunk.writes(TransactionChunk.identity(changes))) {
                chunk.write(this::transactionNested, results);
                chunk = new TransactionChunk();
            }
            chunk.add(i, changes, changes == null ? null : linker.link(changes));
            if (message != null) {
                if (ledger.knowsId(message)) {
                    log.info("{} {} from {} reuses a message ID with other content: stored as a new message",
                            message.type(), message.messageId(), message.sender());
                }
                ledger.record(message);
            }
        }
        chunk.write(this::transactionNested, results);
        for (int i = 0; i < group.size(); i++) {
            if (group.get(i).write().record() != null) {
                group.get(i).write().record().written(results[i].result());
            }
        }
        return List.of(results);
    }

    private Bundle transactionNested(Bundle bundle) {
        return systemDao.transactionNested(new SystemRequestDetails(), bundle);
    }

    /** After commit: remember what was written, so that the same content need not be written again. */
    private Result committed(Written result) {
        if (result.sent() != null) {
            written.remember(result.sent(), result.result().response());
            for (Bundle.BundleEntryComponent entry : result.result().response().getEntry()) {
                String location = entry.getResponse().getLocation();
                if (location != null && location.indexOf('/') > 0) {
                    metrics.fhirWrite(location.substring(0, location.indexOf('/')),
                            entry.getResponse().getStatus().startsWith("201") ? "created" : "updated");
                }
            }
        }
        return result.result();
    }

    /** Counts the resources of a Bundle that was not written. */
    private void failed(Pending pending) {
        pending.bundle().getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                .forEach(e -> metrics.fhirWrite(e.getResource().fhirType(), "failed"));
    }

    /** A batch's entries commit one by one: HAPI opens their transactions itself; the record follows on its own. */
    private Result writeBatch(Pending pending) {
        Result result = new Result(Outcome.STORED, systemDao.transaction(new SystemRequestDetails(), pending.bundle()));
        if (pending.write().record() != null) {
            transactions.executeWithoutResult(status -> pending.write().record().written(result));
        }
        return result;
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::writeLoop, "fhir-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread thread = writer;
        writer = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }

    /** Starts before the routes (Camel's default phase) that feed it, and stops after them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }
}
