package org.emergence.validate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.emergence.campaign.Condition;
import org.emergence.campaign.Plan;
import org.emergence.ie.RunRequest;
import org.emergence.model.ModelSources;
import org.emergence.tokenize.Tokenizer;

/**
 * Every condition a validation can run, by name, in the order they run and are written: icl, untrained-S (per init
 * seed), text, text-untrained-S, text-within, text-position, text-shift, random, sigma-F-… (per σ factor), replicate-K.
 * {@link #plan} keeps the ones the controls ask for. A condition is an ordinary run under {@code OUT/runs/<name>}; those
 * with the same untrained twins share their twin runs under {@code OUT/runs/null}.
 */
final class ValidationConditions {
    private final ValidationOptions o;
    private final List<Condition> all = new ArrayList<>();

    private ValidationConditions(ValidationOptions o) {
        this.o = o;
    }

    /** The plan of the conditions named in {@code needed}, in their canonical order. */
    static Plan plan(ValidationOptions o, Set<String> needed) {
        ValidationConditions v = new ValidationConditions(o);
        v.catalogue();
        List<Condition> kept = new ArrayList<>();
        for (Condition c : v.all) if (needed.contains(c.name())) kept.add(c);
        return new Plan("validate", kept);
    }

    /** σ factor f as it appears in a condition name ("sigma-0.5-text"). */
    static String trim(double f) {
        String s = String.format(Locale.ROOT, "%.4g", f);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    /** The prefix of the conditions at σ × f. */
    static String sigmaPrefix(double f) {
        return "sigma-" + trim(f) + "-";
    }

    private void add(String name, String what, String dataset, long seed, String ablate, double sigmaFactor, int t) {
        add(name, what, dataset, seed, ablate, sigmaFactor, t, null);
    }

    /** @param textReference the natural text condition whose scale a scrambled or shifted one shares (with --text-scale shared) */
    private void add(String name, String what, String dataset, long seed, String ablate, double sigmaFactor, int t,
                     String textReference) {
        RunRequest b = o.base();
        Path dir = o.out().resolve("runs").resolve(name);
        // conditions with the same untrained twins (a model and its untrained:S on one dataset) share their runs
        RunRequest r = b.with(b.model(), dataset, seed, ablate, b.noise() * sigmaFactor, dir).withN(b.n(), t)
                .withTwinRoot(o.out().resolve("runs").resolve("null"));
        boolean shared = o.sharedTextScale() && textReference != null && b.scalesByLayer();
        all.add(Condition.run(name, what, Map.of(), r, dir).withReference(shared ? textReference : null));
    }

    /** Tokens per text window with the special tokens the model's tokenizer adds around a text ([CLS] … [SEP], BOS). */
    private int textT() {
        RunRequest b = o.base();
        int extra = 0;
        if (!b.specialTokens().equals("no")) {
            try (Tokenizer tok = ModelSources.tokenizer(b.model())) {
                extra = tok.specials().count();
            }
        }
        return o.textTokens() + extra;
    }

    private void catalogue() {
        RunRequest b = o.base();
        long seed = b.seed();
        String text = o.text() + ":lookahead=1";
        int tt = textT();
        boolean icl = o.hasIcl();
        long s0 = o.initSeeds()[0];
        if (icl) {
            add("icl", "the model on " + o.icl(), o.icl(), seed, b.ablate(), 1, b.t());
            for (long s : o.initSeeds()) {
                add("untrained-" + s, "the same architecture, Hugging Face initialisation (seed " + s + ")", o.icl(), seed,
                        "untrained:" + s, 1, b.t());
            }
        }
        add("text", "natural text windows", text, seed, b.ablate(), 1, tt);
        for (long s : o.initSeeds()) {
            add("text-untrained-" + s, "text windows through the same architecture untrained (seed " + s + ")", text, seed,
                    "untrained:" + s, 1, tt);
        }
        add("text-within", "the same windows, tokens shuffled within each window", text + ":scramble=within", seed, b.ablate(), 1, tt,
                "text");
        add("text-position", "the same windows, each position shuffled across windows", text + ":scramble=position", seed,
                b.ablate(), 1, tt, "text");
        add("text-shift", "the same windows, starting one token later", o.text() + ":shift=1", seed, b.ablate(), 1, tt, "text");
        add("random", "i.i.d. Gaussian block inputs", "random", seed, b.ablate(), 1, 0);
        for (double f : o.sigmaFactors()) {
            String tag = sigmaPrefix(f);
            if (icl) {
                add(tag + "icl", "icl at σ × " + trim(f), o.icl(), seed, b.ablate(), f, b.t());
                add(tag + "untrained-" + s0, "untrained at σ × " + trim(f), o.icl(), seed, "untrained:" + s0, f, b.t());
            }
            add(tag + "text", "text at σ × " + trim(f), text, seed, b.ablate(), f, tt);
            add(tag + "text-untrained-" + s0, "text through the untrained model at σ × " + trim(f), text, seed, "untrained:" + s0, f, tt);
            add(tag + "text-within", "within-shuffled text at σ × " + trim(f), text + ":scramble=within", seed, b.ablate(), f, tt,
                    tag + "text");
            add(tag + "text-position", "position-shuffled text at σ × " + trim(f), text + ":scramble=position", seed, b.ablate(), f, tt,
                    tag + "text");
        }
        for (int k = 1; k <= o.replicates(); k++) {
            if (icl) {
                add("replicate-" + k, "icl with a fresh dataset draw and noise (seed " + (seed + k) + ")", o.icl(), seed + k, b.ablate(),
                        1, b.t());
            } else {
                add("replicate-" + k, "text with a fresh draw of the windows and noise (seed " + (seed + k) + ")", text, seed + k,
                        b.ablate(), 1, tt);
            }
        }
    }
}
