package org.emergence.validate;

import org.emergence.campaign.Results;
import org.emergence.ie.Estimated;
import org.emergence.ie.RunSummary;

/** What a control judges: the validation's options and its finished conditions, with the lookups controls share. */
record Evidence(ValidationOptions o, Results r) {
    /** The IE of a condition. */
    Estimated ie(String condition) {
        return r.ie(condition);
    }

    RunSummary summary(String condition) {
        return r.summary(condition);
    }

    boolean has(String condition) {
        return r.has(condition);
    }

    /** The untrained condition of a trained one: "icl" → "untrained-S", "text" → "text-untrained-S". */
    static String untrained(String condition, long seed) {
        return condition.equals("icl") ? "untrained-" + seed : condition + "-untrained-" + seed;
    }

    /** Does the trained model show more IE than every untrained twin on this data (interval above 0)? */
    boolean hasSkill(String condition) {
        if (o.initSeeds().length == 0) return false;
        Estimated tr = ie(condition);
        for (long s : o.initSeeds()) {
            if (!has(untrained(condition, s))) return false;
            if (!Estimated.difference(tr, ie(untrained(condition, s)), true).positive()) return false;
        }
        return true;
    }
}
