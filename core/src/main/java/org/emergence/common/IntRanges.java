package org.emergence.common;

import java.util.TreeSet;

/** Parses lists like "0,3,5-7" into sorted distinct ints within [0, limit). */
public final class IntRanges {
    private IntRanges() {}

    public static int[] parse(String spec, int limit, String option, String what) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int a, b;
            try {
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    a = Integer.parseInt(p.substring(0, dash).trim());
                    b = Integer.parseInt(p.substring(dash + 1).trim());
                } else {
                    a = b = Integer.parseInt(p);
                }
            } catch (NumberFormatException e) {
                throw new UserError(option + ": cannot read '" + p + "' (expected numbers and ranges like 0,3,5-7)");
            }
            if (a > b) throw new UserError(option + ": range " + p + " is reversed");
            if (a < 0 || b >= limit) {
                throw new UserError(option + ": " + what + " " + (a < 0 ? a : b) + " is out of range (0-" + (limit - 1) + ")");
            }
            for (int i = a; i <= b; i++) {
                if (!out.add(i)) throw new UserError(option + ": " + what + " " + i + " is listed twice");
            }
        }
        if (out.isEmpty()) throw new UserError(option + ": empty list");
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** "0-3,7,9-11" for ascending integers (the form {@link #parse} reads). */
    public static String format(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[j + 1] == v[j] + 1) j++;
            if (b.length() > 0) b.append(',');
            b.append(v[i]);
            if (j > i) b.append('-').append(v[j]);
            i = j + 1;
        }
        return b.toString();
    }
}
