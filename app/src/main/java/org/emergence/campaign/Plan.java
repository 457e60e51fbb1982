package org.emergence.campaign;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;

/**
 * The ordered conditions of a campaign (the order in which they run and are written). Names are unique; a condition's
 * {@code reference} names a condition planned before it, its {@code prefixOf} a condition of the plan that runs.
 *
 * @param context what the campaign is ("validate", "study shots"), for the refusals that name a condition
 */
public record Plan(String context, List<Condition> conditions) {
    public Plan {
        conditions = List.copyOf(conditions);
        Map<String, Condition> seen = new LinkedHashMap<>();
        for (Condition c : conditions) {
            if (seen.put(c.name(), c) != null) throw new IllegalArgumentException("two conditions named " + c.name());
            // a reference scale is read when its run has finished: it runs first
            if (c.reference() != null && !seen.containsKey(c.reference())) {
                throw new IllegalArgumentException(c.name() + " refers to " + c.reference() + ", which is not planned before it");
            }
        }
        for (Condition c : conditions) {
            // a prefix is read after every run has finished: its run may come anywhere in the plan
            if (c.prefixOf() != null && (!seen.containsKey(c.prefixOf()) || seen.get(c.prefixOf()).derived())) {
                throw new IllegalArgumentException(c.name() + " is read from " + c.prefixOf() + ", which is not a planned run");
            }
        }
        if (conditions.isEmpty()) throw new UserError(context + ": nothing to run (every condition was left out)");
    }

    /** The condition of that name. */
    public Condition find(String name) {
        for (Condition c : conditions) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException(name);
    }

    /** Whether a condition of that name is planned. */
    public boolean has(String name) {
        for (Condition c : conditions) if (c.name().equals(name)) return true;
        return false;
    }

    /** The conditions that run (not read from another's run), in order. */
    public List<Condition> runs() {
        List<Condition> out = new ArrayList<>();
        for (Condition c : conditions) if (!c.derived()) out.add(c);
        return out;
    }
}
