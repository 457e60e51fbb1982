package org.emergence.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;
import org.emergence.data.IclDataset;
import org.emergence.ie.RunRequest;
import org.emergence.model.ModelSources;
import org.emergence.model.Transformer;

/**
 * The conditions of each kind of study, as ordinary run requests. Checked before anything runs:
 * every condition is prepared (model, tokenizer, dataset), so an incompatible study is refused,
 * naming the condition, before its first run starts.
 */
final class StudyPlans {
    private StudyPlans() {}

    /** The paper's list sizes: category, entities, shots (N = all orderings). */
    static final Object[][] PAPER = {{"country", 25, 4}, {"animal", 16, 5}, {"color", 15, 5}};

    /**
     * The conditions of a study; {@code notes} receives what the plan had to decide that a reader must know (e.g. the
     * list sizes left out because they have fewer distinct lists than N).
     */
    static List<Condition> build(StudyOptions o, List<String> notes) {
        return switch (o.kind()) {
            case "shots", "errors" -> shots(o, notes);
            case "texts" -> texts(o, null);
            case "models" -> models(o);
            default -> ablations(o);
        };
    }

    static Map<String, String> labels(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    private static Condition run(StudyOptions o, String name, Map<String, String> labels, String model, String dataset, int n,
                                 long seed, String ablate) {
        Path dir = o.out().resolve("runs").resolve(name);
        RunRequest r = o.base().with(model, dataset, seed, ablate, o.base().noise(), dir).withN(n, 0);
        return new Condition(name, labels, r, dir, null, -1);
    }

    static boolean causal(String model) {
        return ModelSources.load(model).config().causal();
    }

    private static List<Condition> shots(StudyOptions o, List<String> notes) {
        String model = o.models().get(0);
        // a causal model's k-item lists are read from the longest run's position after item k — unless the measurement
        // is relative to untrained twins, whose runs estimate only their own IE cells (the last position): then every K
        // is its own run
        boolean causal = causal(model);
        boolean derive = causal && o.base().nullTwins() == 0;
        if (o.kind().equals("errors") && !causal) {
            throw new UserError("study errors: " + model + " is an encoder; next-token errors need a causal language model (e.g. tinylm)");
        }
        Map<String, List<String>> cats = IclDataset.categories();
        List<Condition> out = new ArrayList<>();
        List<Object[]> plan = new ArrayList<>();
        if ("paper".equals(o.preset())) {
            for (Object[] p : PAPER) plan.add(new Object[] {p[0], p[1], 1, p[2]});
        } else {
            for (String c : o.categories()) {
                if (!cats.containsKey(c)) {
                    throw new UserError("study " + o.kind() + ": unknown category '" + c + "' (known: " + String.join(", ", cats.keySet()) + ")");
                }
                plan.add(new Object[] {c, 0, o.kmin(), o.kmax()});
            }
        }
        List<String> variants = new ArrayList<>(List.of("short"));
        if (o.longSep() != null) variants.add("long");
        for (Object[] p : plan) {
            String c = (String) p[0];
            int entities = (Integer) p[1], kmin = (Integer) p[2], kmax = (Integer) p[3];
            for (String v : variants) {
                String sep = v.equals("long") ? ":sep=" + o.longSep() : "";
                String ent = entities > 0 ? ":entities=" + entities : "";
                int usable = entities;
                if (usable == 0) {
                    Object kept = prepare(name(c, v, kmax, 0), run(o, "probe", Map.of(), model, "icl:" + c + ":shots=" + kmax + sep, 2, 0,
                            "none").request()).data().details().get("entities_kept"); // a 2-sequence probe (a run needs N >= 2)
                    usable = kept instanceof Number num ? num.intValue() : Integer.MAX_VALUE;
                }
                if (entities == 0 && !derive) kmin = equalNKmin(o, c, v, usable, kmin, kmax, notes);
                kmin = Math.max(1, kmin); // a causal model reads every K from the longest run: all at its N
                for (int rep = 0; rep < o.replicates(); rep++) {
                    long seed = o.base().seed() + rep;
                    int n = entities > 0 ? (int) orderings(entities, kmax) : (int) Math.min(o.base().n(), orderings(usable, kmax));
                    String top = name(c, v, kmax, rep);
                    Condition longest = run(o, top, labels("category", c, "variant", v, "shots", "" + kmax, "replicate", "" + rep),
                            model, "icl:" + c + ":shots=" + kmax + sep + ent, n, seed, "none");
                    for (int k = kmin; k < kmax; k++) {
                        Map<String, String> lab = labels("category", c, "variant", v, "shots", "" + k, "replicate", "" + rep);
                        String spec = "icl:" + c + ":shots=" + k + sep + ent;
                        if (derive) {
                            // a causal model's state at the end of the first k items does not depend on the rest:
                            // the k-item lists are the prefixes of the longest ones, read from that run
                            int t = prepare(name(c, v, k, rep), longest.request().withDataset(spec).withN(2, 0)).data().t();
                            out.add(new Condition(name(c, v, k, rep), lab, longest.request().withDataset(spec), longest.dir(), top, t - 1));
                        } else {
                            // the paper's preset measures every ordering, so its short lists have fewer sequences than
                            // the longest (said on stdout, in study.csv and study.html); otherwise every K reaches N
                            int nk = (int) Math.min(n, orderings(usable, k));
                            out.add(run(o, name(c, v, k, rep), lab, model, spec, nk, seed, "none"));
                        }
                    }
                    out.add(longest);
                }
            }
        }
        return out;
    }

    /**
     * The smallest list size of an encoder's shots study at which every condition can be measured at the study's N:
     * the runs are separate, and a K with fewer distinct lists (orderings of K of the usable entities) than N would
     * be measured on fewer sequences — IE moves with N, so the comparison across K would mix the two. {@code kmin}
     * 0 (the default) starts at that K and notes what was left out; an explicit smaller {@code --kmin} is refused.
     */
    static int equalNKmin(StudyOptions o, String category, String variant, int usable, int kmin, int kmax, List<String> notes) {
        int n = (int) Math.min(o.base().n(), orderings(usable, kmax));
        int first = Math.max(1, kmin);
        int need = first;
        while (need < kmax && orderings(usable, need) < n) need++;
        if (kmin > 0 && need > kmin) {
            throw new UserError("study " + o.kind() + ": K = " + kmin + " has only " + orderings(usable, kmin) + " distinct lists of "
                    + usable + " " + category + " entities, fewer than --n " + n + "; every condition of a study is measured at the same "
                    + "N because IE moves with N: use --kmin " + need + " (the smallest K with at least " + n + " lists), --n "
                    + orderings(usable, kmin) + " or less, or leave --kmin out");
        }
        if (need > first) {
            notes.add(String.format(java.util.Locale.ROOT, "%s%s: K = %s left out: %s distinct lists, fewer than N = %d; every K is measured "
                    + "at N = %d (IE moves with N, so K measured on fewer sequences would not compare); --n %d or less includes K = %d",
                    category, variant.equals("long") ? " (long)" : "", range(first, need - 1), countsUpTo(usable, first, need - 1), n, n,
                    orderings(usable, first), first));
        }
        return need;
    }

    private static String range(int a, int b) {
        return a == b ? Integer.toString(a) : a + "–" + b;
    }

    private static String countsUpTo(int usable, int a, int b) {
        List<String> out = new ArrayList<>();
        for (int k = a; k <= b; k++) out.add(orderings(usable, k) + (a == b ? "" : " (K = " + k + ")"));
        return a == b ? "only " + out.get(0) : "only " + String.join(", ", out);
    }

    /** Prepares a request while planning; a refusal names the condition. */
    static RunRequest.Prepared prepare(String condition, RunRequest r) {
        try {
            return r.prepare("plan");
        } catch (UserError e) {
            throw new UserError("study, condition " + condition + ": " + e.getMessage(), e);
        }
    }

    static long orderings(int m, int k) {
        long r = 1;
        for (int i = 0; i < k && r < Long.MAX_VALUE / Math.max(1, m); i++) r *= Math.max(0, m - i);
        return r;
    }

    private static String name(String c, String variant, int k, int rep) {
        return c + (variant.equals("long") ? "-long" : "") + "-k" + k + "-r" + rep;
    }

    static List<Condition> texts(StudyOptions o, Path generated) {
        String model = o.models().get(0);
        int t = o.textTokens() + (causal(model) ? 0 : specials(model));
        List<Condition> out = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>(o.sources());
        if (sources.isEmpty()) sources.put("human", "text:builtin");
        if (generated != null) sources.put("generated", "text:" + generated.toAbsolutePath() + ":field=text");
        for (var e : sources.entrySet()) {
            if (!e.getValue().startsWith("text:")) throw new UserError("study texts: source " + e.getKey() + " is not a text: dataset");
            for (int rep = 0; rep < o.replicates(); rep++) {
                long seed = o.base().seed() + rep;
                out.add(text(o, e.getKey() + "-r" + rep, labels("source", e.getKey(), "control", "natural", "replicate", "" + rep), model,
                        e.getValue(), t, seed));
                if (rep == 0) {
                    for (String how : new String[] {"within", "position"}) {
                        out.add(text(o, e.getKey() + "-" + how + "-r0", labels("source", e.getKey(), "control", how + "-shuffle",
                                "replicate", "0"), model, e.getValue() + ":scramble=" + how, t, seed));
                    }
                }
            }
        }
        return out;
    }

    private static Condition text(StudyOptions o, String name, Map<String, String> labels, String model, String spec, int t, long seed) {
        Path dir = o.out().resolve("runs").resolve(name);
        RunRequest r = o.base().with(model, spec, seed, "none", o.base().noise(), dir).withN(o.base().n(), t);
        return new Condition(name, labels, r, dir, null, -1);
    }

    static int specials(String model) {
        try (var tok = ModelSources.tokenizer(model)) {
            return tok.specials().count();
        }
    }

    private static List<Condition> models(StudyOptions o) {
        List<Condition> out = new ArrayList<>();
        for (String m : o.models()) {
            Transformer tr = ModelSources.load(m);
            String name = Path.of(m).getFileName().toString().replaceAll("[^A-Za-z0-9_.=-]+", "_");
            out.add(run(o, name, labels("model", m, "parameters", "" + parameters(tr), "layers", "" + tr.config().layers()), m,
                    o.dataset(), o.base().n(), o.base().seed(), "none"));
        }
        return out;
    }

    static long parameters(Transformer m) {
        long p = 0;
        for (String n : m.checkpoint().names()) p += m.checkpoint().get(n).numel();
        return p;
    }

    private static List<Condition> ablations(StudyOptions o) {
        String model = o.models().get(0);
        List<Condition> out = new ArrayList<>();
        for (String a : o.ablations()) {
            String name = a.replaceAll("[^A-Za-z0-9_.=-]+", "_");
            out.add(run(o, name, labels("ablation", a), model, o.dataset(), o.base().n(), o.base().seed(), a));
        }
        out.add(run(o, "random-inputs", labels("ablation", "random inputs"), model, "random", o.base().n(), o.base().seed(), "none"));
        return out;
    }
}
