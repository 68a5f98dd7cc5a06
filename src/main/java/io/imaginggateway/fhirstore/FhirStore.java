package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
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
 * one new patient arriving on two connections cannot both create it), and lets the writer commit the transactions
 * that queued up while it was busy in one database transaction (group commit): under load, the per-commit cost is
 * shared, while a lone message is still written at once. Each message's Bundle stays its own FHIR transaction: if a
 * group fails, its Bundles are written again one by one so that only the bad one fails.
 *
 * <p>A Bundle whose identifier names its source message (sender system, message ID) is written at most once: a
 * re-sent message is answered {@link Outcome#DUPLICATE} and writes nothing.
 */
@Component
public class FhirStore implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FhirStore.class);
    private static final int MAX_GROUP = 64;

    /** What became of a stored Bundle. */
    public enum Outcome { STORED, DUPLICATE }

    /** HAPI's response Bundle (null for a duplicate). */
    public record Result(Outcome outcome, Bundle response) {}

    private record Pending(Bundle bundle, CompletableFuture<Result> done) {}

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;
    private final WrittenResources written;
    private final ConditionalUrls conditionalUrls;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private volatile MessageLedger ledger;
    private volatile Thread writer;

    FhirStore(IFhirSystemDao<Bundle, Meta> systemDao, PlatformTransactionManager transactionManager, JdbcTemplate jdbc,
            FhirContext fhirContext, IInterceptorService interceptors, DaoRegistry daos, MatchUrlService matchUrls) {
        this.systemDao = systemDao;
        this.conditionalUrls = new ConditionalUrls(daos, matchUrls, fhirContext);
        this.written = new WrittenResources(fhirContext, interceptors);
        this.transactions = new TransactionTemplate(transactionManager);
        this.jdbc = jdbc;
    }

    /**
     * Writes a transaction (or batch) Bundle and returns once it is committed.
     *
     * @throws RuntimeException what HAPI threw (e.g. a 4xx for an invalid entry); nothing of the Bundle is stored then
     */
    public Result store(Bundle bundle) {
        return storeAll(List.of(bundle)).get(0);
    }

    /**
     * Writes several transaction Bundles at once, each still its own FHIR transaction, and returns once all are
     * committed: the writer commits them in groups, as it does with Bundles that arrive together (an import).
     *
     * @throws RuntimeException the first failure; the other Bundles are stored or not independently of it
     */
    public List<Result> storeAll(List<Bundle> bundles) {
        if (writer == null) {
            throw new IllegalStateException("The FHIR store is not running");
        }
        List<CompletableFuture<Result>> done = new ArrayList<>();
        for (Bundle bundle : bundles) {
            CompletableFuture<Result> one = new CompletableFuture<>();
            done.add(one);
            queue.add(new Pending(bundle, one));
        }
        List<Result> results = new ArrayList<>();
        try {
            for (CompletableFuture<Result> one : done) {
                results.add(one.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the FHIR store", e);
        }
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
                List<Written> results = transactions.execute(status -> writeTogether(group.stream().map(Pending::bundle).toList()));
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
                        ? writeBatch(pending.bundle())
                        : committed(transactions.execute(status -> writeTogether(List.of(pending.bundle())).get(0))));
            } catch (RuntimeException e) {
                pending.done().completeExceptionally(e);
            }
        }
    }

    /** What one transaction Bundle wrote (before commit): the entries sent to HAPI (null: none) and its answer. */
    record Written(Result result, Bundle sent) {}

    /**
     * Transaction Bundles, inside the database transaction the caller opened, in as few HAPI transactions as
     * possible: Bundles that name different resources are sent as one (HAPI's cost is largely per transaction: its
     * look-ups of what the entries name, the flush). A Bundle naming a resource that an earlier one in the same HAPI
     * transaction writes starts the next one, so each sees the other's result exactly as if alone.
     */
    private List<Written> writeTogether(List<Bundle> bundles) {
        Written[] results = new Written[bundles.size()];
        TransactionChunk chunk = new TransactionChunk();
        for (int i = 0; i < bundles.size(); i++) {
            Bundle bundle = bundles.get(i);
            boolean identified = MessageLedger.identifies(bundle.getIdentifier());
            if (identified && ledger.contains(bundle.getIdentifier())) {
                results[i] = new Written(new Result(Outcome.DUPLICATE, null), null);
                continue;
            }
            if (chunk.writes(TransactionChunk.identity(bundle))) {
                chunk.write(this::transactionNested, results);
                chunk = new TransactionChunk();
            }
            chunk.add(i, written.prune(bundle));
            if (identified) {
                ledger.record(bundle.getIdentifier());
            }
        }
        chunk.write(this::transactionNested, results);
        return List.of(results);
    }

    private Bundle transactionNested(Bundle bundle) {
        return systemDao.transactionNested(new SystemRequestDetails(), conditionalUrls.resolve(bundle, written::resourceId));
    }

    /** After commit: remember what was written, so that the same content need not be written again. */
    private Result committed(Written result) {
        if (result.sent() != null) {
            written.remember(result.sent(), result.result().response());
        }
        return result.result();
    }

    /** A batch's entries commit one by one: HAPI opens their transactions itself. */
    private Result writeBatch(Bundle bundle) {
        return new Result(Outcome.STORED, systemDao.transaction(new SystemRequestDetails(), bundle));
    }

    @Override
    public void start() {
        ledger = new MessageLedger(jdbc);
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
