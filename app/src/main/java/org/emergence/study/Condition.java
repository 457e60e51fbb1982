package org.emergence.study;

import java.nio.file.Path;
import java.util.Map;
import org.emergence.ie.RunRequest;

/**
 * One condition of a study: labels (the study's columns, e.g. category=animal, shots=4), the run
 * that measures it, and — for a causal model's shorter lists — the longer run whose prefix it is
 * ({@code prefixOf}, with {@code position} the last position of the shorter list), so that it is
 * read from that run instead of being run again.
 */
public record Condition(String name, Map<String, String> labels, RunRequest request, Path dir, String prefixOf, int position) {
    public boolean derived() {
        return prefixOf != null;
    }
}
