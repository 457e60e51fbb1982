package org.emergence.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.emergence.common.UserError;
import org.emergence.tokenize.Tokenizer;

/**
 * In-context lists such as "lion, tiger, wolf, bear, fox," built from the project's own entity
 * lists. Only entities that are a single token for this tokenizer — both at the start of the list
 * and after a separator — are kept, so every sequence has the same token count T. Sequences are
 * distinct random orderings of K distinct entities drawn with the seed.
 */
public final class IclDataset {
    private IclDataset() {}

    public static final int DEFAULT_SHOTS = 8;

    /** Category → entities, from the bundled entities.txt. */
    public static Map<String, List<String>> categories() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (InputStream in = IclDataset.class.getResourceAsStream("entities.txt")) {
            if (in == null) throw new IllegalStateException("entities.txt missing from the jar");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                int c = line.indexOf(':');
                List<String> items = new ArrayList<>();
                for (String s : line.substring(c + 1).split(",")) if (!s.isBlank()) items.add(s.strip());
                out.put(line.substring(0, c).strip(), items);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** n distinct random orderings of k of m entities (rejection of repeats; used when orderings are plentiful). */
    static int[][] randomOrders(int m, int k, int n, SplittableRandom r) {
        Set<String> seen = new HashSet<>();
        int[][] out = new int[n][];
        int made = 0;
        int[] pool = new int[m];
        while (made < n) {
            for (int i = 0; i < m; i++) pool[i] = i;
            int[] pick = new int[k];
            for (int i = 0; i < k; i++) {
                int j = i + r.nextInt(m - i);
                int tmp = pool[i];
                pool[i] = pool[j];
                pool[j] = tmp;
                pick[i] = pool[i];
            }
            if (seen.add(Arrays.toString(pick))) out[made++] = pick;
        }
        return out;
    }

    /** n of all m!/(m−k)! orderings, in a seeded random order (every ordering when n equals their number). */
    static int[][] allOrders(int m, int k, int n, SplittableRandom r) {
        java.util.List<int[]> all = new ArrayList<>();
        permutations(new int[k], 0, new boolean[m], all);
        for (int i = 0; i < n; i++) {
            int j = i + r.nextInt(all.size() - i);
            int[] tmp = all.get(i);
            all.set(i, all.get(j));
            all.set(j, tmp);
        }
        return all.subList(0, n).toArray(new int[0][]);
    }

    private static void permutations(int[] cur, int depth, boolean[] used, java.util.List<int[]> out) {
        if (depth == cur.length) {
            out.add(cur.clone());
            return;
        }
        for (int i = 0; i < used.length; i++) {
            if (used[i]) continue;
            used[i] = true;
            cur[depth] = i;
            permutations(cur, depth + 1, used, out);
            used[i] = false;
        }
    }

    static Dataset build(DatasetSpec spec, Tokenizer tok, int n, int t, long seed) {
        spec.allow("shots", "sep", "entities");
        Map<String, List<String>> cats = categories();
        String category = spec.argument();
        List<String> all = cats.get(category);
        if (all == null) {
            throw new UserError("--dataset " + spec.spec() + ": unknown category '" + category + "' (known: "
                    + String.join(", ", cats.keySet()) + ")");
        }
        String sep = spec.option("sep", ", ");
        if (sep.isEmpty()) throw new UserError("--dataset " + spec.spec() + ": empty separator");
        String sepEnd = sep.stripTrailing().isEmpty() ? sep : sep.stripTrailing();

        // token counts of an entity at the start ("e,") and after a separator ("x, e," minus "x,")
        String filler = all.get(0);
        int base = tok.encode(filler + sepEnd, false).length;
        int[] startLen = new int[all.size()], midLen = new int[all.size()];
        for (int i = 0; i < all.size(); i++) {
            startLen[i] = tok.encode(all.get(i) + sepEnd, false).length;
            midLen[i] = tok.encode(filler + sep + all.get(i) + sepEnd, false).length - base;
        }
        int unitStart = Arrays.stream(startLen).min().orElse(0), unit = Arrays.stream(midLen).min().orElse(0);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (startLen[i] == unitStart && midLen[i] == unit) {
                kept.add(all.get(i));
            }
        }
        // entities the tokenizer cannot tell apart (e.g. all mapped to [UNK]) would give identical lists
        Map<String, List<String>> byIds = new LinkedHashMap<>();
        for (String e : kept) byIds.computeIfAbsent(Arrays.toString(tok.encode(filler + sep + e + sepEnd, false)), k -> new ArrayList<>()).add(e);
        List<String> indistinct = new ArrayList<>();
        for (List<String> same : byIds.values()) if (same.size() > 1) indistinct.addAll(same);
        kept.removeAll(indistinct);
        if (!indistinct.isEmpty() && kept.size() < 2) {
            throw new UserError("--dataset " + spec.spec() + ": the tokenizer gives the same tokens to " + indistinct.size()
                    + " entities (" + String.join(", ", indistinct.subList(0, Math.min(5, indistinct.size())))
                    + (indistinct.size() > 5 ? ", …" : "") + "; unknown words?), so its lists would all be identical");
        }

        int shots;
        if (spec.options().containsKey("shots")) {
            shots = spec.intOption("shots", DEFAULT_SHOTS);
            if (shots < 1) throw new UserError("--dataset " + spec.spec() + ": shots must be >= 1");
            int implied = unitStart + (shots - 1) * unit;
            if (t > 0 && t != implied) {
                throw new UserError("--t " + t + " disagrees with " + spec.spec() + ", whose sequences have " + implied
                        + " tokens (" + shots + " items of " + unit + " tokens)");
            }
        } else if (t > 0) {
            if (t < unitStart || (t - unitStart) % unit != 0) {
                throw new UserError("--t " + t + " is not reachable with " + spec.spec() + ": lists have " + unitStart
                        + " + " + unit + "·(K−1) tokens for K items");
            }
            shots = (t - unitStart) / unit + 1;
        } else {
            shots = DEFAULT_SHOTS;
        }
        if (spec.options().containsKey("entities")) {
            int m = spec.intOption("entities", kept.size());
            if (m < 2 || m > kept.size()) {
                throw new UserError("--dataset " + spec.spec() + ": entities=" + m + " must be between 2 and the " + kept.size()
                        + " usable entities");
            }
            kept = new ArrayList<>(kept.subList(0, m));
        }
        if (kept.size() < shots + 1) {
            throw new UserError("--dataset " + spec.spec() + ": only " + kept.size() + " of " + all.size()
                    + " entities are single, distinct tokens for this tokenizer; need at least " + (shots + 1) + " for " + shots + " shots"
                    + (indistinct.isEmpty() ? "" : " (" + indistinct.size() + " share their tokens with another, e.g. [UNK])"));
        }
        int tokens = unitStart + (shots - 1) * unit;
        if ((long) n * tokens > Integer.MAX_VALUE - 8) {
            throw new UserError("--n " + n + " × T " + tokens + " token ids exceed 2^31; lower --n");
        }
        double orderings = 1;
        for (int i = 0; i < shots; i++) orderings *= kept.size() - i;
        if (orderings < n) {
            throw new UserError("--dataset " + spec.spec() + ": only " + (long) orderings + " distinct lists of " + shots
                    + " from " + kept.size() + " entities; lower --n");
        }

        SplittableRandom r = new SplittableRandom(seed);
        int[][] orders = orderings <= 5_000_000 && n > orderings / 4 ? allOrders(kept.size(), shots, n, r)
                : randomOrders(kept.size(), shots, n, r);
        int[] ids = new int[n * tokens];
        // each entity is a fixed number of tokens, so lists are assembled from per-entity pieces; the first
        // lists are checked against the tokenizer run on the whole text, and a mismatch falls back to that
        int[][] first = new int[kept.size()][], mid = new int[kept.size()][];
        for (int i = 0; i < kept.size(); i++) {
            first[i] = tok.encode(kept.get(i) + sepEnd, false);
            int[] m = tok.encode(filler + sep + kept.get(i) + sepEnd, false);
            mid[i] = Arrays.copyOfRange(m, m.length - unit, m.length);
        }
        boolean pieces = true;
        for (int s0 = 0; s0 < n; s0++) {
            int[] seq = null;
            if (pieces) {
                seq = new int[tokens];
                System.arraycopy(first[orders[s0][0]], 0, seq, 0, unitStart);
                for (int i = 1; i < shots; i++) System.arraycopy(mid[orders[s0][i]], 0, seq, unitStart + (i - 1) * unit, unit);
            }
            if (!pieces || s0 < 64) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < shots; i++) sb.append(kept.get(orders[s0][i])).append(i < shots - 1 ? sep : sepEnd);
                int[] whole = tok.encode(sb.toString(), false);
                if (seq != null && !Arrays.equals(seq, whole)) pieces = false;
                seq = whole;
            }
            if (seq.length != tokens) {
                throw new UserError("--dataset " + spec.spec() + ": lists do not tokenize to a fixed length ("
                        + seq.length + " tokens instead of " + tokens + ")");
            }
            System.arraycopy(seq, 0, ids, s0 * tokens, tokens);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("category", category);
        details.put("entities_total", all.size());
        details.put("entities_kept", kept.size());
        details.put("entities", kept);
        if (!indistinct.isEmpty()) details.put("entities_indistinct", indistinct);
        details.put("shots", shots);
        details.put("separator", sep);
        details.put("tokens_per_item", unit);
        String desc = "in-context lists of " + shots + " " + category + " entities separated by \"" + sep + "\" ("
                + kept.size() + " of " + all.size() + " entities are single tokens)";
        return new Dataset(spec.spec(), "icl", desc, n, tokens, ids, 0, details);
    }
}
