package org.emergence.campaign;

import java.nio.file.Path;
import java.util.Map;
import org.emergence.ie.RunRequest;

/**
 * One condition of a campaign: the run that measures it ({@code request}, writing to {@code dir}), what it is
 * ({@code what}, a sentence; {@code labels}, the columns of a study such as category=animal, shots=4), and two
 * optional links to other conditions of the plan:
 *
 * <ul>
 *   <li>{@code reference}: the condition whose layer RMS scales this one's σ ({@code --noise-reference}, set when that
 *       run has finished), or null for its own;</li>
 *   <li>{@code prefixOf}: the longer run this condition is read from instead of being run (a causal model's shorter
 *       lists), with {@code position} the last position of the shorter list; null (and -1) for a condition that runs.</li>
 * </ul>
 */
public record Condition(String name, String what, Map<String, String> labels, RunRequest request, Path dir, String reference,
                        String prefixOf, int position) {
    public Condition {
        labels = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels)); // in the order given: study.json's
    }

    /** A condition that runs on its own. */
    public static Condition run(String name, String what, Map<String, String> labels, RunRequest request, Path dir) {
        return new Condition(name, what, labels, request, dir, null, null, -1);
    }

    /** A condition read from the run of {@code prefixOf} up to {@code position} (it is not run itself). */
    public static Condition prefix(String name, Map<String, String> labels, RunRequest request, Path dir, String prefixOf, int position) {
        return new Condition(name, request.dataset(), labels, request, dir, null, prefixOf, position);
    }

    /** The same condition, its σ scaled by the layer RMS of condition {@code ref}'s run (null: its own). */
    public Condition withReference(String ref) {
        return new Condition(name, what, labels, request, dir, ref, prefixOf, position);
    }

    /** True when the condition is read from another condition's run rather than run. */
    public boolean derived() {
        return prefixOf != null;
    }
}
