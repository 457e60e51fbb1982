package org.emergence.ie;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.emergence.common.IntRanges;
import org.emergence.common.UserError;
import org.emergence.data.Dataset;
import org.emergence.data.Datasets;
import org.emergence.generate.ModelText;
import org.emergence.mi.Estimators;
import org.emergence.model.Ablation;
import org.emergence.model.ModelSources;
import org.emergence.model.Transformer;
import org.emergence.tokenize.Tokenizer;

/**
 * Everything a user asks of one IE run, as given on the command line ("auto" where a default
 * depends on the model), resolved by {@link #prepare()} into the model, the dataset and the
 * {@link RunSettings} that determine the numbers. {@code run}, {@code validate} and {@code study}
 * all go through it, so a condition of a study is exactly the run the same options would make.
 *
 * @param layers        e.g. "0,3,5-7", or null for every block
 * @param estimator     null: mixture with noise, the raw default without
 * @param specialTokens auto|yes|no: wrap icl/text sequences in the tokenizer's special tokens (auto = yes: what the
 *                      model's own tokenizer adds around a single text)
 * @param microSpecials auto|yes|no: feed lone tokens with them
 * @param positions     auto|last|all|varying
 * @param out           run directory, or null for runs/&lt;model&gt;-&lt;dataset&gt;-&lt;hash of the settings&gt;
 * @param force         skip the disk and memory pre-flight check
 * @param noiseReference a finished run of the same model whose layer RMS scales σ instead of this run's own
 *                      ({@link NoiseReference}), or null
 * @param nullTwins     untrained twins E and IE are measured against ({@link NullTwins}; 0 = raw)
 * @param twinRoot      where the twins' runs live, shared by runs whose twins are the same (null: RUN_DIR/null)
 * @param noiseScales   noise scales of the band σ, 2σ, … every MI averages over (1 = σ alone)
 */
public record RunRequest(String model, String dataset, int n, int t, String layers, long seed, String ablate,
                         String estimator, double noise, String noiseScale, String microPosition, String microSpecials,
                         String pairing, String positions, int groups, double discreteThreshold, String specialTokens,
                         int batch, Path out, boolean keepActivations, boolean quiet, boolean force, Path noiseReference,
                         int nullTwins, Path twinRoot, int noiseScales) {

    /** The model, the dataset and the settings of a request, before anything is written. */
    /** A request made concrete: the model (null when the activations come from {@code acts}), dataset, settings, directory. */
    public record Prepared(RunRequest request, Transformer model, Dataset data, RunSettings settings, Path dir,
                           int[] microPrefix, int[] microSuffix, ActsLayout acts) {
        public RunOutcome execute() throws IOException {
            return execute(null);
        }

        /**
         * The same run estimating only the cells its IE needs (for a last-position measurement: the last position), as
         * a campaign that compares IEs runs its conditions; the run directory records it ({@code ie_cells_only}).
         */
        public Prepared onlyIeCells() {
            RunSettings s = settings;
            RunSettings t = new RunSettings(s.model(), s.modelType(), s.dataset(), s.specialTokens(), s.n(), s.t(), s.layers(), s.seed(),
                    s.ablation(), s.measurement().withIeCellsOnly(), s.source(), s.version(), s.precision());
            return new Prepared(request, model, data, t, dir, microPrefix, microSuffix, acts);
        }

        /** @param saveActs also write the run's activations there, in the layout {@code run --acts} reads (null: no) */
        public RunOutcome execute(Path saveActs) throws IOException {
            if (saveActs != null && acts != null) throw new UserError("--save-acts: this run reads its activations from --acts already");
            if (saveActs != null && data.isRandom()) throw new UserError("--save-acts: random inputs have no activations to save");
            if (saveActs != null) java.nio.file.Files.createDirectories(saveActs);
            // the twins first, so that the run's summary is relative to them from its first estimate on
            List<TwinEstimates> twins = runTwins();
            ActivationSource source = EmergenceRun.source(settings, model, data, acts, microPrefix, microSuffix, saveActs);
            return EmergenceRun.run(settings, source, data, dir, execution(), saveActs, twins);
        }

        /** How the run executes: batch, kept activations, quiet, forced. */
        EmergenceRun.Execution execution() {
            return new EmergenceRun.Execution(request.batch(), request.keepActivations(), request.quiet(), request.force());
        }

        /** Runs (or resumes) the untrained twins of a relative measurement (none for a raw one) and returns theirs. */
        List<TwinEstimates> runTwins() throws IOException {
            return NullTwins.run(new NullTwins.Base(settings, model, data, dir, request.twinRoot(), microPrefix, microSuffix,
                    execution()));
        }
    }

    /** The same request with its untrained twins' runs under {@code root} (shared by runs whose twins are the same). */
    public RunRequest withTwinRoot(Path root) {
        return toBuilder().twinRoot(root).build();
    }

    public RunRequest withDataset(String d) {
        return toBuilder().dataset(d).build();
    }

    public RunRequest with(String modelName, String d, long s, String abl, double sigma, Path dir) {
        return toBuilder().model(modelName).dataset(d).seed(s).ablate(abl).noise(sigma).out(dir).build();
    }

    public RunRequest withN(int newN, int newT) {
        return toBuilder().n(newN).t(newT).build();
    }

    /** The same request with σ scaled by the layer RMS of the finished run in {@code dir} (null: its own). */
    public RunRequest withNoiseReference(Path dir) {
        return toBuilder().noiseReference(dir).build();
    }

    /**
     * The main job's model: a causal language model, the paper's setting, that has the in-context skill the default
     * dataset tests (MiniLM, the 0.1 default, is a sentence encoder and costs 3× more with null twins: every position
     * enters its IE).
     */
    public static final String DEFAULT_MODEL = "tinylm";
    /** Sequences: the N the validity controls are judged at (docs/validity.md). */
    public static final int DEFAULT_N = 1000;

    /**
     * A request with the command line's defaults ({@code emergence run} with no options: tinylm on icl:animal, N = 1000,
     * the default measurement of docs/measurement.md); set what differs, then {@link Builder#build()}. Checked against
     * the command line's own defaults by a test, and validated, like every request, by {@link #prepare}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model; b.dataset = dataset; b.n = n; b.t = t; b.layers = layers; b.seed = seed; b.ablate = ablate;
        b.estimator = estimator; b.noise = noise; b.noiseScale = noiseScale; b.microPosition = microPosition;
        b.microSpecials = microSpecials; b.pairing = pairing; b.positions = positions; b.groups = groups;
        b.discreteThreshold = discreteThreshold; b.specialTokens = specialTokens; b.batch = batch; b.out = out;
        b.keepActivations = keepActivations; b.quiet = quiet; b.force = force; b.noiseReference = noiseReference;
        b.nullTwins = nullTwins; b.twinRoot = twinRoot; b.noiseScales = noiseScales;
        return b;
    }

    /** Builds a {@link RunRequest} field by field (each setter is the record component of the same name). */
    public static final class Builder {
        private String model = DEFAULT_MODEL;
        private String dataset = Datasets.DEFAULT;
        private int n = DEFAULT_N;
        private int t;
        private String layers;
        private long seed;
        private String ablate = "none";
        private String estimator;
        private double noise = 2.0;
        private String noiseScale = "layer";
        private String microPosition = "original";
        private String microSpecials = "auto";
        private String pairing = "matched";
        private String positions = "auto";
        private int groups = org.emergence.mi.RowGroups.AUTO;
        private double discreteThreshold = Estimators.DEFAULT_DISCRETE_FRACTION;
        private String specialTokens = "auto";
        private int batch = 256;
        private Path out;
        private boolean keepActivations;
        private boolean quiet;
        private boolean force;
        private Path noiseReference;
        private int nullTwins = 2;
        private Path twinRoot;
        private int noiseScales = 3;

        private Builder() {}

        public Builder model(String v) { model = v; return this; }
        public Builder dataset(String v) { dataset = v; return this; }
        public Builder n(int v) { n = v; return this; }
        /** Tokens per sequence (0: the dataset's own). */
        public Builder t(int v) { t = v; return this; }
        public Builder layers(String v) { layers = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder ablate(String v) { ablate = v; return this; }
        public Builder estimator(String v) { estimator = v; return this; }
        public Builder noise(double v) { noise = v; return this; }
        public Builder noiseScale(String v) { noiseScale = v; return this; }
        public Builder microPosition(String v) { microPosition = v; return this; }
        public Builder microSpecials(String v) { microSpecials = v; return this; }
        public Builder pairing(String v) { pairing = v; return this; }
        public Builder positions(String v) { positions = v; return this; }
        public Builder groups(int v) { groups = v; return this; }
        public Builder discreteThreshold(double v) { discreteThreshold = v; return this; }
        public Builder specialTokens(String v) { specialTokens = v; return this; }
        public Builder batch(int v) { batch = v; return this; }
        public Builder out(Path v) { out = v; return this; }
        public Builder keepActivations(boolean v) { keepActivations = v; return this; }
        public Builder quiet(boolean v) { quiet = v; return this; }
        public Builder force(boolean v) { force = v; return this; }
        public Builder noiseReference(Path v) { noiseReference = v; return this; }
        public Builder nullTwins(int v) { nullTwins = v; return this; }
        public Builder twinRoot(Path v) { twinRoot = v; return this; }
        public Builder noiseScales(int v) { noiseScales = v; return this; }

        public RunRequest build() {
            return new RunRequest(model, dataset, n, t, layers, seed, ablate, estimator, noise, noiseScale, microPosition, microSpecials,
                    pairing, positions, groups, discreteThreshold, specialTokens, batch, out, keepActivations, quiet, force, noiseReference,
                    nullTwins, twinRoot, noiseScales);
        }
    }

    /** True when σ is a multiple of the layer RMS: the only scale a {@code --noise-reference} can set. */
    public boolean scalesByLayer() {
        return noise > 0 && noiseScale.equals("layer");
    }

    /** The reference scale for these blocks, or null without --noise-reference; one-line errors. */
    private double[] reference(String modelName, String ablation, int[] blocks, boolean randomInputs) {
        if (noiseReference == null) return null;
        // checked before the reference is read, so a scale mismatch is the error a user sees first
        if (!scalesByLayer()) throw new UserError(Measurement.REFERENCE_NEEDS_LAYER_SCALE);
        if (randomInputs) throw new UserError("--noise-reference: random inputs are scaled by their own variance; drop the option");
        double[] rms = NoiseReference.read(noiseReference, modelName, ablation);
        NoiseReference.requireBlocks(rms, blocks, noiseReference);
        return rms;
    }

    /** Checks the options, loads the model (with its ablation) and builds the dataset; one-line errors. */
    public Prepared prepare(String version) {
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new UserError("--noise must be >= 0, got " + noise);
        String est = estimator != null ? estimator : noise > 0 ? "mixture" : Estimators.DEFAULT;
        Estimators.get(est); // refuse unknown names before any work
        Measurement.NoiseScale scale = Measurement.NoiseScale.parse(noiseScale);
        Measurement.Pairing pair = Measurement.Pairing.parse(pairing);
        for (String[] o : new String[][] {{"--micro-specials", microSpecials}, {"--special-tokens", specialTokens}}) {
            if (!List.of("auto", "yes", "no").contains(o[1])) throw new UserError(o[0] + " must be auto, yes or no, got '" + o[1] + "'");
        }
        if (!positions.equals("auto")) Measurement.Positions.parse(positions);
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
        if (n < 2) throw new UserError("--n must be >= 2 (a mutual information needs at least two sequences), got " + n);
        int groupCount = groupsFor(n);
        Ablation ablation = Ablation.parse(ablate);
        Transformer trained = ModelSources.load(model);
        Transformer m = ablation.apply(trained, model);
        // auto: what the model's own tokenizer adds around a single text, as it was trained (BOS for Llama, Gemma,
        // Mistral; [CLS] … [SEP] for BERT; nothing for GPT-2)
        boolean special = !specialTokens.equals("no");
        Dataset d;
        if (Datasets.needsTokenizer(dataset)) {
            try (Tokenizer tok = ModelSources.tokenizer(model)) {
                if (specialTokens.equals("auto") && !tok.specialsKnown()) {
                    throw new UserError(tok.specialsSource() + ": cannot tell whether this model's tokenizer adds a BOS token (no "
                            + "tokenizer_config.json naming tokenizer_class or add_bos_token, no known model_type in config.json); "
                            + "choose with --special-tokens yes|no");
                }
                // text:sampled is written by the trained model, whatever the ablation: every condition measures the same text
                d = org.emergence.data.PositionTokens.attach(Datasets.build(dataset, tok, n, t, seed, special,
                        trained.config().causal() && trained.hasLogits()
                        ? ModelText.sampled(trained, tok, seed, batch, quiet ? null : System.err::println) : null), tok);
            }
        } else {
            d = Datasets.build(dataset, null, n, t, seed);
            if (!d.isRandom()) {
                // token ids of your own: their constant positions are named when the model has a tokenizer
                try (Tokenizer tok = ModelSources.tokenizer(model)) {
                    d = org.emergence.data.PositionTokens.attach(d, tok);
                } catch (UserError noTokenizer) {
                    // positions are then labelled by number
                }
            }
        }
        if (d.t() > m.config().maxPositions()) {
            throw new UserError("--dataset " + dataset + (t > 0 ? " --t " + t : "") + ": sequences of " + d.t()
                    + " tokens exceed the model's " + m.config().maxPositions() + " positions");
        }
        int[] ls = layers == null ? java.util.stream.IntStream.range(0, m.config().layers()).toArray()
                : IntRanges.parse(layers, m.config().layers(), "--layers", "layer");
        boolean wrapped = d.details().containsKey("special_tokens");
        boolean microWith = switch (microSpecials) {
            case "yes" -> true;
            case "no" -> false;
            default -> wrapped;
        };
        Measurement.Positions pos = positions.equals("auto")
                ? (m.config().causal() ? Measurement.Positions.LAST : Measurement.Positions.ALL) : Measurement.Positions.parse(positions);
        Measurement meas = new Measurement(est, noise, scale, microPosition, microWith && !d.isRandom(), pair, pos, groupCount,
                discreteThreshold, reference(model, ablation.key(), ls, d.isRandom()), nullTwins, noiseScales);
        RunSettings s = new RunSettings(model, m.config().modelType(), dataset, wrapped, d.n(), d.t(), ls, seed, ablation.key(),
                meas, source(), version, m.precision().name());
        int[] pre = new int[0], suf = new int[0];
        if (meas.microSpecials()) {
            try (Tokenizer tok = ModelSources.tokenizer(model)) {
                Tokenizer.Specials sp = tok.specials();
                pre = sp.prefix();
                suf = sp.suffix();
            }
        }
        return new Prepared(this, m, d, s, out != null ? out : defaultDir(s), pre, suf, null);
    }

    /**
     * The jackknife group count for N sequences: with no count typed ({@link org.emergence.mi.RowGroups#AUTO}) the
     * default, which shrinks to what N allows (the interval text names the groups used); a typed count that N cannot
     * hold (every group needs two sequences) is refused.
     */
    private int groupsFor(int n) {
        if (groups == org.emergence.mi.RowGroups.AUTO) return org.emergence.mi.RowGroups.DEFAULT;
        if (groups < 0) throw new UserError("--groups must be 0 or more, got " + groups);
        if (groups > 0 && groups > n / 2) {
            throw new UserError("--groups " + groups + ": each resampling group needs at least 2 sequences, and --n " + n + " allows at most "
                    + Math.max(0, n / 2) + " groups; use fewer --groups (or 0 for no resampling)");
        }
        return groups;
    }

    /**
     * The same request on activations captured elsewhere ({@code run --acts DIR}): the layout replaces the
     * model and the dataset; the micro level is the one the layout holds (its manifest's micro_position and
     * micro_specials), every other measurement option is this request's.
     */
    public Prepared prepareActs(Path actsDir, String version) {
        checkOptions();
        ActsLayout a = ActsLayout.open(actsDir);
        String est = estimator != null ? estimator : noise > 0 ? "mixture" : Estimators.DEFAULT;
        Dataset d = Datasets.build("ids:" + actsDir.resolve("tokens.npy"), null, a.n(), a.t(), seed);
        int[] blocks = a.measurableBlocks();
        if (blocks.length == 0) throw new UserError(actsDir.resolve(ActsManifestJson.FILE) + ": no block has both its input and output (layers l and l + 1)");
        int[] ls = layers == null ? blocks : IntRanges.parse(layers, blocks[blocks.length - 1] + 1, "--layers", "layer");
        for (int l : ls) {
            if (java.util.Arrays.stream(blocks).noneMatch(b -> b == l)) {
                throw new UserError("--layers: block " + l + " is not in " + actsDir + " (its input h" + l + " and output h" + (l + 1)
                        + " are both needed; measurable: " + java.util.Arrays.toString(blocks) + ")");
            }
        }
        ActsManifest mf = a.manifest();
        boolean causal = mf.causal();
        Measurement.Positions pos = positions.equals("auto")
                ? (causal ? Measurement.Positions.LAST : Measurement.Positions.ALL) : Measurement.Positions.parse(positions);
        Measurement meas = new Measurement(est, noise, Measurement.NoiseScale.parse(noiseScale), a.microPosition(),
                mf.microSpecials(), Measurement.Pairing.parse(pairing), pos, groupsFor(a.n()), discreteThreshold,
                reference(mf.model(), "none", ls, false), 0, noiseScales);
        java.util.Map<String, Object> src = new java.util.LinkedHashMap<>();
        src.put("acts", actsDir.toAbsolutePath().normalize().toString());
        if (mf.source() != null) src.put("captured_by", mf.source());
        RunSettings s = new RunSettings(mf.model(), mf.modelType(),
                "acts:" + (mf.dataset() != null ? mf.dataset() : actsDir.toString()), mf.specialTokens(),
                d.n(), d.t(), ls, seed, "none", meas, src, version);
        if (nullTwins > 0) {
            throw new UserError("--acts " + actsDir + ": the default measurement is relative to untrained twins of the model, and "
                    + "activations carry no model to build them from; add --null-twins 0 (raw IE, the paper's quantity), or run "
                    + "--model on the model itself");
        }
        return new Prepared(this, null, d, s, out != null ? out : defaultDir(s), new int[0], new int[0], a);
    }

    private void checkOptions() {
        if (!(noise >= 0) || Double.isInfinite(noise)) throw new UserError("--noise must be >= 0, got " + noise);
        Estimators.get(estimator != null ? estimator : noise > 0 ? "mixture" : Estimators.DEFAULT);
        Measurement.NoiseScale.parse(noiseScale);
        Measurement.Pairing.parse(pairing);
        if (!positions.equals("auto")) Measurement.Positions.parse(positions);
        if (batch < 1) throw new UserError("--batch must be >= 1, got " + batch);
    }

    /** Repo id, revision and commit (hub cache) and the SHA-256 of every file the run depends on ({@link org.emergence.model.ModelFingerprint}). */
    private java.util.Map<String, Object> source() {
        org.emergence.model.io.HubCache.Resolved r = ModelSources.provenance(model);
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        if (r.repoId() != null) {
            m.put("repo_id", r.repoId());
            m.put("revision", r.revision());
            m.put("commit", r.commit());
        }
        // weights, config.json and tokenizer files (built-ins: the digests recorded at build time), checked on resume
        java.util.Map<String, String> d = org.emergence.model.ModelFingerprint.of(model, r);
        if (!d.isEmpty()) m.put("sha256", d);
        return m;
    }

    /** runs/&lt;model&gt;-&lt;dataset&gt;-&lt;8 hex of the settings&gt;: the same command always resumes the same directory. */
    public static Path defaultDir(RunSettings s) {
        return s.defaultDir();
    }
}
