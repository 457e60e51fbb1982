package org.emergence.ie;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the two terms of E(l) are under a run's pairing and averaged positions — the names the CLI table, the
 * report and {@code macro_micro.png} give them, written to summary.json ({@code terms}) by the code that forms
 * the combinations, so no reader has to guess. Under {@code --pairing matched} (the default) the micro term is
 * the same token fed alone (for a causal model at T−1 only: MI_micro(T−1)); under {@code prefix} it is the mean
 * over the positions each position can see.
 *
 * @param eDefinition E(l, t) as a formula
 * @param macro       E(l)'s macro term, in words
 * @param micro       E(l)'s micro term, in words
 * @param macroShort  ASCII column header of the macro term (CLI)
 * @param microShort  ASCII column header of the micro term (CLI)
 */
public record Terms(String pairing, String eDefinition, String macro, String micro, String macroShort, String microShort) {

    /**
     * @param aggregated the positions E(l) averages over, ascending
     * @param t          positions per sequence
     */
    public static Terms of(boolean causal, Measurement.Pairing pairing, int[] aggregated, int t) {
        boolean last = aggregated.length == 1 && aggregated[0] == t - 1;
        boolean all = aggregated.length == t;
        String where = last ? "at the last position t = T−1" : all ? "mean over positions"
                : "mean over the " + aggregated.length + " positions whose token varies";
        String at = last ? "(T-1)" : all ? "(avg)" : "(avg varying)";
        String macro = "MI_macro, " + where;
        if (last) macro = "MI_macro at the last position t = T−1";
        if (pairing == Measurement.Pairing.MATCHED) {
            return new Terms(pairing.key(), "E(l, t) = MI_macro(l, t) − MI_micro(l, t), the token at t read in its context "
                    + "minus the same token fed alone", macro, last ? "MI_micro of the token at t = T−1 fed alone" : "MI_micro of each "
                    + "position's token fed alone, " + where, "MI_macro" + at, "MI_micro" + at);
        }
        if (!causal) {
            return new Terms(pairing.key(), "E(l, t) = MI_macro(l, t) − the mean of MI_micro(l, i) over all positions i (the "
                    + "paper's formula; every position of an encoder sees the whole sequence)", macro, "mean MI_micro over all "
                    + "positions", "MI_macro" + at, "MI_micro(avg all)");
        }
        return new Terms(pairing.key(), "E(l, t) = MI_macro(l, t) − the mean of MI_micro(l, i) over the positions i ≤ t (the "
                + "paper's formula)", macro, last ? "mean MI_micro over positions i ≤ T−1"
                : "mean MI_micro over positions i ≤ t, " + where, "MI_macro" + at, last ? "MI_micro(avg<=T-1)" : "MI_micro(avg<=t)");
    }

    ObjectNode json(ObjectNode o) {
        return o.put("pairing", pairing).put("E_definition", eDefinition).put("macro", macro).put("micro", micro)
                .put("macro_short", macroShort).put("micro_short", microShort);
    }
}
