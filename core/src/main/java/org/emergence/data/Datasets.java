package org.emergence.data;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.emergence.common.UserError;
import org.emergence.tokenize.Tokenizer;

/** Builds a {@link Dataset} from a {@code --dataset} spec for one model's tokenizer. */
public final class Datasets {
    private Datasets() {}

    public static final String DEFAULT = "icl:animal";
    public static final String KINDS = "icl:<category>[:shots=K][:sep=\", \"], text:<file>|builtin|sampled[:field=NAME][:pick=random|first]"
            + "[:shift=K|:lookahead=K], random[:var=0.81], ids:<file.npy>; any token dataset also [:scramble=within|position]";

    /** Whether this spec needs a tokenizer (random and ids do not). */
    public static boolean needsTokenizer(String spec) {
        String k = DatasetSpec.parse(spec).kind();
        return k.equals("icl") || k.equals("text");
    }

    /**
     * @param n    sequences wanted (&gt; 0)
     * @param t    tokens per sequence, or 0 for the dataset's natural length (icl, ids) or 8 (random)
     */
    public static Dataset build(String specText, Tokenizer tok, int n, int t, long seed) {
        return build(specText, tok, n, t, seed, false);
    }

    /**
     * @param specialTokens wrap every icl/text sequence in the tokenizer's special tokens
     *                      ([CLS] … [SEP] for BERT encoders, which were trained with them); T counts them
     */
    public static Dataset build(String specText, Tokenizer tok, int n, int t, long seed, boolean specialTokens) {
        return build(specText, tok, n, t, seed, specialTokens, null);
    }

    /**
     * @param sampled where {@code text:sampled} gets the documents the model writes (null: that dataset is refused)
     */
    public static Dataset build(String specText, Tokenizer tok, int n, int t, long seed, boolean specialTokens,
                                TextWindows.DocumentSource sampled) {
        DatasetSpec spec = DatasetSpec.parse(specText);
        if (n < 1) throw new UserError("--n must be >= 1, got " + n);
        if (specialTokens && (spec.kind().equals("icl") || spec.kind().equals("text"))) {
            Tokenizer.Specials sp = require(tok, spec).specials();
            if (sp.count() > 0) {
                if (t > 0 && t <= sp.count()) throw new UserError("--t " + t + " leaves no room next to " + sp.count() + " special tokens");
                Dataset inner = build(specText, tok, n, t > 0 ? t - sp.count() : 0, seed, false, sampled);
                return wrap(inner, sp);
            }
        }
        String scramble = spec.options().get("scramble");
        if (scramble != null) {
            if (spec.kind().equals("random")) throw new UserError("--dataset " + specText + ": random inputs have no tokens to scramble");
            Map<String, String> rest = new LinkedHashMap<>(spec.options());
            rest.remove("scramble");
            spec = new DatasetSpec(spec.spec(), spec.kind(), spec.argument(), rest);
        }
        Dataset d = switch (spec.kind()) {
            case "icl" -> IclDataset.build(spec, require(tok, spec), n, t, seed);
            case "text" -> TextWindows.build(spec, require(tok, spec), n, t, seed, sampled);
            case "random" -> random(spec, n, t);
            case "ids" -> ids(spec, n, t);
            default -> throw new UserError("--dataset " + specText + ": unknown kind '" + spec.kind() + "' (use " + KINDS + ")");
        };
        return scramble == null ? d : scramble(d, scramble, seed);
    }

    /**
     * Word-salad controls with the dataset's own tokens: {@code within} shuffles the tokens of each
     * sequence (same bag of tokens per sequence, order destroyed); {@code position} shuffles each
     * position across sequences (every position keeps its token distribution, the co-occurrence
     * within a sequence is destroyed). Applied before special tokens are added, so they stay in place.
     */
    static Dataset scramble(Dataset d, String how, long seed) {
        if (!how.equals("within") && !how.equals("position")) {
            throw new UserError("--dataset " + d.spec() + ": scramble must be within or position, found '" + how + "'");
        }
        int n = d.n(), t = d.t();
        int[] ids = d.ids().clone();
        java.util.SplittableRandom r = new java.util.SplittableRandom(org.emergence.common.Seeds.mix(seed, 0x5C4A));
        if (how.equals("within")) {
            for (int s = 0; s < n; s++) {
                for (int i = t - 1; i > 0; i--) {
                    int k = r.nextInt(i + 1), a = s * t + i, b = s * t + k;
                    int tmp = ids[a];
                    ids[a] = ids[b];
                    ids[b] = tmp;
                }
            }
        } else {
            for (int i = 0; i < t; i++) {
                for (int s = n - 1; s > 0; s--) {
                    int k = r.nextInt(s + 1), a = s * t + i, b = k * t + i;
                    int tmp = ids[a];
                    ids[a] = ids[b];
                    ids[b] = tmp;
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>(d.details());
        details.put("scramble", how);
        String what = how.equals("within") ? "tokens shuffled within each sequence" : "each position shuffled across sequences";
        return new Dataset(d.spec(), d.kind(), d.description() + ", " + what, n, t, ids, d.randomVar(), details);
    }

    /** Puts prefix and suffix special tokens around every sequence. */
    private static Dataset wrap(Dataset d, Tokenizer.Specials sp) {
        int t = d.t() + sp.count();
        int[] ids = new int[d.n() * t];
        for (int s = 0; s < d.n(); s++) {
            int o = s * t;
            System.arraycopy(sp.prefix(), 0, ids, o, sp.prefix().length);
            System.arraycopy(d.ids(), s * d.t(), ids, o + sp.prefix().length, d.t());
            System.arraycopy(sp.suffix(), 0, ids, o + sp.prefix().length + d.t(), sp.suffix().length);
        }
        Map<String, Object> details = new LinkedHashMap<>(d.details());
        details.put("special_tokens", java.util.Arrays.toString(sp.prefix()) + " … " + java.util.Arrays.toString(sp.suffix()));
        return new Dataset(d.spec(), d.kind(), d.description() + ", wrapped in the tokenizer's special tokens", d.n(), t, ids,
                d.randomVar(), details);
    }

    private static Tokenizer require(Tokenizer tok, DatasetSpec spec) {
        if (tok == null) throw new UserError("--dataset " + spec.spec() + " needs the model's tokenizer");
        return tok;
    }

    private static Dataset random(DatasetSpec spec, int n, int t) {
        spec.allow("var");
        if (!spec.argument().isEmpty()) throw new UserError("--dataset " + spec.spec() + ": random takes only :var=V");
        double var = spec.doubleOption("var", 0.81);
        if (!(var > 0) || Double.isInfinite(var)) throw new UserError("--dataset " + spec.spec() + ": var must be a finite number > 0");
        int len = t > 0 ? t : 8;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("variance", var);
        return new Dataset(spec.spec(), "random", "untrained-input baseline: every block's input replaced by i.i.d. N(0, "
                + var + ") vectors, fresh for every block", n, len, null, var, details);
    }

    private static Dataset ids(DatasetSpec spec, int n, int t) {
        spec.allow();
        Path file = Path.of(spec.argument());
        NpyHeader h = Npy.header(file);
        if (h.dtype().isFloat()) throw new UserError(file + ": token ids must be int32 or int64, found " + h.dtype().numpyName);
        if (h.rank() != 2 || h.dim(0) < 1 || h.dim(1) < 1) {
            throw new UserError(file + ": token ids must have shape [N, T], found " + h.shapeString());
        }
        int rows = (int) h.dim(0), len = (int) h.dim(1);
        if (t > 0 && t != len) throw new UserError("--t " + t + " disagrees with " + file + " (T = " + len + ")");
        if (n > rows) throw new UserError("--n " + n + " exceeds the " + rows + " sequences in " + file);
        long[] v = Npy.readLongs(file, h);
        int[] ids = new int[n * len];
        for (int i = 0; i < ids.length; i++) {
            if (v[i] < 0 || v[i] > Integer.MAX_VALUE) {
                throw new UserError(file + ": token id " + v[i] + " at row " + i / len + ", position " + i % len + " is invalid");
            }
            ids[i] = (int) v[i];
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", file.toString());
        details.put("rows_in_file", rows);
        return new Dataset(spec.spec(), "ids", "token ids from " + file.getFileName() + " (first " + n + " of " + rows + " rows)",
                n, len, ids, 0, details);
    }

    /** The largest text file a text: dataset reads (a pre-flight against the heap; see TextWindows). */
    public static long maxTextBytes() {
        return TextWindows.maxTextBytes();
    }
}
