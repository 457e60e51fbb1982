package org.emergence.report;

import org.emergence.ie.RunSummary;

/**
 * Tick labels of a position axis: "t token" where every sequence holds the same token at t ("0 [CLS]", "2 ,"),
 * "t entity" where an in-context list's entity varies, else "t" — from summary.json's {@code position_labels}
 * (runs made before it existed get plain numbers). Long token texts are cut to {@link #MAX} characters.
 */
final class PositionLabels {
    static final int MAX = 10;

    private PositionLabels() {}

    static String[] of(RunSummary s) {
        int[] ps = s.positions();
        String[] out = new String[ps.length];
        String[] labels = s.axes().labels();
        for (int j = 0; j < ps.length; j++) {
            String l = labels == null || ps[j] >= labels.length || labels[ps[j]] == null ? "" : labels[ps[j]].strip();
            if (l.codePointCount(0, l.length()) > MAX) l = l.substring(0, l.offsetByCodePoints(0, MAX - 1)) + "…";
            out[j] = l.isEmpty() ? Integer.toString(ps[j]) : ps[j] + " " + l;
        }
        return out;
    }

    /** Whether any position has a label beyond its number. */
    static boolean named(String[] labels, int[] positions) {
        for (int j = 0; j < labels.length; j++) if (!labels[j].equals(Integer.toString(positions[j]))) return true;
        return false;
    }
}
