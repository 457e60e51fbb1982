package org.emergence.common;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean …?" for a mistyped name: the closest candidate by edit distance, if it is close. */
public final class Suggest {
    private Suggest() {}

    /** The candidate within edit distance max(1, length/3) of {@code typed}, closest first; null if none. */
    public static String closest(String typed, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE, limit = Math.max(1, typed.length() / 3);
        for (String c : candidates) {
            int d = distance(typed.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= limit ? best : null;
    }

    /** Levenshtein distance (insertions, deletions, substitutions and adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
