package io.imaginggateway.linking;

import java.util.List;

/**
 * Where identity conflicts are kept for operators (the gateway's database). Each is kept in its own database
 * transaction: the message's own transaction was rolled back.
 */
public interface ConflictLog {

    /** Keeps the conflict; returns its number. */
    long hold(HeldConflict conflict);

    /** The newest conflicts first, without their content. */
    List<HeldConflict> recent(int limit);
}
