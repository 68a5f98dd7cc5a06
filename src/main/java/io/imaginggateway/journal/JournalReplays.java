package io.imaginggateway.journal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Replays of journal entries, one or many. A replay is linked to the entry that came from outside (a replay of a
 * replay is linked to the first one's original), so an original's history lists every attempt. Replays are idempotent:
 * a message stored before (the same feed, sender, ID and content) writes nothing again, and an edited one is written
 * through the same identity rules as any message.
 */
@Component
public class JournalReplays implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JournalReplays.class);
    /** Replays at once in a bulk replay: enough to fill the store's group commits, few enough to leave the feeds room. */
    private static final int PARALLEL = 4;
    private static final int PAGE = 500;

    /** What a bulk replay did: counts by status, and each replay (at most the first 1,000 listed). */
    public record BulkResult(int replayed, Map<String, Long> byStatus, List<Replayer.Replayed> replays) {}

    private final JournalReader reader;
    private final Map<Arrival.Kind, Replayer> replayers;
    private final ExecutorService workers = Executors.newFixedThreadPool(PARALLEL, runnable -> {
        Thread thread = new Thread(runnable, "journal-replay");
        thread.setDaemon(true);
        return thread;
    });

    JournalReplays(JournalReader reader, List<Replayer> replayers) {
        this.reader = reader;
        this.replayers = replayers.stream().collect(Collectors.toMap(Replayer::kind, Function.identity()));
    }

    /**
     * One entry again, with its content as kept or as edited.
     *
     * @throws java.util.NoSuchElementException when there is no such entry of this kind
     * @throws IllegalStateException when it cannot be replayed, saying why
     */
    public Replayer.Replayed replay(Arrival.Kind kind, long id, byte[] editedContent) {
        JournalEntryView entry = reader.find(id).filter(e -> e.kind().equals(kind.code()))
                .orElseThrow(() -> new java.util.NoSuchElementException("no " + kind.code() + " journal entry " + id));
        return replay(entry, editedContent);
    }

    private Replayer.Replayed replay(JournalEntryView entry, byte[] editedContent) {
        long root = entry.replayOf() != null ? entry.replayOf() : entry.id();
        Replayer replayer = replayers.get(Arrival.Kind.valueOf(entry.kind().toUpperCase(java.util.Locale.ROOT)));
        if (replayer == null) {
            throw new IllegalStateException(entry.kind() + " entries cannot be replayed");
        }
        Replayer.Replayed replayed;
        if (editedContent != null) {
            replayed = replayer.replay(entry, root, editedContent, StandardCharsets.UTF_8.name(), true);
        } else {
            JournalReader.Content content = reader.content(entry.id()).orElse(null);
            replayed = replayer.replay(entry, root, content == null ? null : content.bytes(),
                    content == null ? null : content.charset(), false);
        }
        // the replay's own entry says what it became (stored, duplicate, error, ...)
        JournalEntryView own = replayed.entry() != null ? reader.find(replayed.entry()).orElse(null)
                : reader.latestReplay(root).orElse(null);
        if (own != null) {
            replayed = new Replayer.Replayed(replayed.original(), own.id(), own.status(),
                    own.reason() != null ? own.reason() : replayed.reason());
        }
        log.info("Journal entry {} replayed as entry {}: {}", entry.id(), replayed.entry(), replayed.status());
        return replayed;
    }

    /**
     * Every entry the filter finds, oldest first, up to {@code limit}; entries that fail to replay are counted as
     * such, the others go on.
     */
    public BulkResult replayAll(JournalFilter filter, int limit) {
        List<JournalEntryView> entries = new ArrayList<>();
        String cursor = null;
        do {
            JournalReader.Page page = reader.search(filter, cursor, Math.min(PAGE, limit - entries.size()));
            entries.addAll(page.items());
            cursor = page.next();
        } while (cursor != null && entries.size() < limit);
        java.util.Collections.reverse(entries);
        List<Future<Replayer.Replayed>> futures = new ArrayList<>();
        for (JournalEntryView entry : entries) {
            futures.add(workers.submit(() -> {
                try {
                    return replay(entry, null);
                } catch (RuntimeException e) {
                    return new Replayer.Replayed(entry.id(), null, "not-replayed", e.getMessage());
                }
            }));
        }
        List<Replayer.Replayed> results = new ArrayList<>();
        for (Future<Replayer.Replayed> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while replaying", e);
            }
        }
        Map<String, Long> byStatus = results.stream().collect(Collectors.groupingBy(Replayer.Replayed::status,
                java.util.TreeMap::new, Collectors.counting()));
        return new BulkResult(results.size(), byStatus, results.subList(0, Math.min(results.size(), 1000)));
    }

    @Override
    public void destroy() {
        workers.shutdownNow();
    }
}
