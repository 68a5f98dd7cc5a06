package io.imaginggateway.linking;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/conflicts}: the identity conflicts held, newest first, for operators: what came in, from whom, why
 * it was not written and what it would have changed (without the held content, which stays in the database).
 */
@RestController
@RequestMapping("/api/conflicts")
class ConflictController {

    private final ConflictLog conflicts;

    ConflictController(ConflictLog conflicts) {
        this.conflicts = conflicts;
    }

    @GetMapping
    List<HeldConflict> recent(@RequestParam(defaultValue = "100") int limit) {
        return conflicts.recent(Math.max(1, Math.min(limit, 1000)));
    }
}
