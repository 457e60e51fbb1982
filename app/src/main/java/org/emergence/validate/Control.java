package org.emergence.validate;

import java.util.List;

/**
 * One validity control: the conditions it needs ({@link #plan}) and its verdict from their typed summaries
 * ({@link #evaluate}). Every control is one class, listed once in {@link Controls#ALL}; the conditions themselves are
 * built by {@link ValidationConditions} from their names.
 */
interface Control {
    /** The control's name (validate.json, {@code --skip}). */
    String name();

    /** False when the control has nothing to judge with these options (e.g. no in-context data): it is left out. */
    default boolean applies(ValidationOptions o) {
        return true;
    }

    /**
     * The names of the conditions the control reads (see {@link ValidationConditions}); by default the main condition
     * (icl, or the natural text without in-context data) — a control that judges every run there is also reads the
     * others that ran.
     */
    default List<String> plan(ValidationOptions o) {
        return List.of(o.main());
    }

    /** The verdict from the finished conditions (every condition of {@link #plan} is there; others may be). */
    Verdict evaluate(Evidence e);
}
