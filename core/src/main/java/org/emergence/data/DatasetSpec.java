package org.emergence.data;

import java.util.LinkedHashMap;
import java.util.Map;
import org.emergence.common.UserError;

/**
 * A parsed {@code --dataset} value: {@code kind[:argument][:key=value…]}, e.g. {@code icl:animal:shots=8},
 * {@code text:corpus.jsonl:field=body}, {@code random:var=0.81}, {@code ids:tokens.npy}. The argument may
 * itself contain ':' (a path); only trailing {@code :key=value} parts are options.
 */
public record DatasetSpec(String spec, String kind, String argument, Map<String, String> options) {
    public static DatasetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) throw new UserError("--dataset: empty");
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        Map<String, String> opts = new LinkedHashMap<>();
        // peel trailing ":key=value" options; keys are identifiers, so paths and separators survive
        while (true) {
            int c = rest.lastIndexOf(':');
            String tail = c < 0 ? rest : rest.substring(c + 1);
            int eq = tail.indexOf('=');
            if (eq <= 0 || !tail.substring(0, eq).matches("[A-Za-z_]+")) break;
            opts.put(tail.substring(0, eq), tail.substring(eq + 1));
            if (c < 0) {
                rest = "";
                break;
            }
            rest = rest.substring(0, c);
        }
        // an option value may have contained ':' (e.g. sep=": "); options were peeled right to left, keep spec order
        Map<String, String> ordered = new LinkedHashMap<>();
        java.util.List<String> keys = new java.util.ArrayList<>(opts.keySet());
        java.util.Collections.reverse(keys);
        for (String k : keys) ordered.put(k, opts.get(k));
        return new DatasetSpec(spec, kind, rest, ordered);
    }

    public String option(String key, String def) {
        return options.getOrDefault(key, def);
    }

    public int intOption(String key, int def) {
        String v = options.get(key);
        if (v == null) return def;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UserError("--dataset " + spec + ": " + key + " must be an integer, found '" + v + "'");
        }
    }

    public double doubleOption(String key, double def) {
        String v = options.get(key);
        if (v == null) return def;
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UserError("--dataset " + spec + ": " + key + " must be a number, found '" + v + "'");
        }
    }

    /** Refuses options other than the allowed ones. */
    public void allow(String... keys) {
        java.util.Set<String> ok = java.util.Set.of(keys);
        for (String k : options.keySet()) {
            if (!ok.contains(k)) {
                throw new UserError("--dataset " + spec + ": unknown option '" + k + "' for " + kind
                        + (keys.length == 0 ? " (it takes none)" : " (known: " + String.join(", ", keys) + ")"));
            }
        }
    }
}
