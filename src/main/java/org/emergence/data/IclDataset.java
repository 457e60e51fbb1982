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

    static Dataset build(DatasetSpec spec, Tokenizer tok, int n, int t, long seed) {
        spec.allow("shots", "sep");
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
        int[] ids = new int[n * tokens];
        Set<String> seen = new HashSet<>();
        int made = 0, rejected = 0;
        int[] pick = new int[shots];
        while (made < n) {
            // a random ordering of K distinct entities (partial Fisher–Yates)
            int[] pool = new int[kept.size()];
            for (int i = 0; i < pool.length; i++) pool[i] = i;
            for (int i = 0; i < shots; i++) {
                int j = i + r.nextInt(pool.length - i);
                int tmp = pool[i];
                pool[i] = pool[j];
                pool[j] = tmp;
                pick[i] = pool[i];
            }
            String key = Arrays.toString(pick);
            if (!seen.add(key)) continue;
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < shots; i++) sb.append(kept.get(pick[i])).append(i < shots - 1 ? sep : sepEnd);
            int[] seq = tok.encode(sb.toString(), false);
            if (seq.length != tokens) {
                rejected++;
                if (rejected > 10 * n + 1000) {
                    throw new UserError("--dataset " + spec.spec() + ": lists do not tokenize to a fixed length");
                }
                continue;
            }
            System.arraycopy(seq, 0, ids, made * tokens, tokens);
            made++;
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
        details.put("lists_rejected", rejected);
        String desc = "in-context lists of " + shots + " " + category + " entities separated by \"" + sep + "\" ("
                + kept.size() + " of " + all.size() + " entities are single tokens)";
        return new Dataset(spec.spec(), "icl", desc, n, tokens, ids, 0, details);
    }
}
