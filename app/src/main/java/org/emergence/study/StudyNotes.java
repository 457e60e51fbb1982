package org.emergence.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a study says when its conditions are not all measured on the same number of sequences N (the paper's
 * shots preset measures every ordering, so shorter lists have fewer): IE moves with N, so a difference between
 * such conditions mixes the effect studied with the change in N. Said on stdout, in study.json, study.csv
 * ({@code n}, {@code n_note}) and study.html.
 */
final class StudyNotes {
    private StudyNotes() {}

    /** The most common N (the study's), or 0 for none. */
    static int commonN(Map<String, Integer> n) {
        Map<Integer, Integer> count = new TreeMap<>();
        for (int v : n.values()) count.merge(v, 1, Integer::sum);
        int best = 0, bestCount = 0;
        for (var e : count.entrySet()) {
            if (e.getValue() > bestCount || e.getValue() == bestCount && e.getKey() > best) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    /** One sentence naming the conditions not at the study's N, or null when every condition shares it. */
    static String unequalN(Map<String, Integer> n) {
        int common = commonN(n);
        List<String> odd = new ArrayList<>();
        for (var e : n.entrySet()) if (e.getValue() != common) odd.add(e.getKey() + " N = " + e.getValue());
        if (odd.isEmpty()) return null;
        return "NOT ALL CONDITIONS AT THE SAME N: " + String.join(", ", odd) + " (the others N = " + common + "); IE moves with N, "
                + "so a difference involving these conditions mixes the effect with the change in N";
    }

    /** study.csv's n_note for one condition: empty at the study's N. */
    static String nNote(Map<String, Integer> n, String condition) {
        int common = commonN(n);
        int mine = n.get(condition);
        return mine == common ? "" : "N = " + mine + ", not the study's " + common + ": compare with care (IE moves with N)";
    }
}
