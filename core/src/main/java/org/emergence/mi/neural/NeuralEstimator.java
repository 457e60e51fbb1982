package org.emergence.mi.neural;

import java.util.Locale;
import org.emergence.common.UserError;
import org.emergence.mi.AbstractEstimator;
import org.emergence.mi.Matrix;
import org.emergence.mi.Options;
import org.emergence.mi.Rng;

/**
 * Neural variational estimators sharing one training loop: {@code mine} (DV bound, moving-average
 * gradient), {@code smile} (clipped DV, JS-trained) and {@code infonce}.
 *
 * <p>The samples are split (seeded) into train / validation / test. Columns are standardised with the
 * training statistics. The critic is trained with Adam on minibatches; every {@code evalevery} steps the
 * bound is evaluated on the validation split, the best critic is kept, and training stops when it has
 * not improved for {@code patience} evaluations. The reported estimate is the best critic's bound on
 * the untouched test split, so neither the step selection nor the training inflates it; its interval is
 * a delta-method standard error over the test samples (it does not include training variability).
 *
 * <p>Options: {@code steps} (default 3000, 1500 above 512 input dimensions), {@code lr} (5e-4),
 * {@code batch} (256), {@code hidden} (256/256), {@code embed} (64), {@code evalevery} (100), {@code patience}
 * (8), {@code val} (0.1), {@code test} (0.2), {@code ema} (0.01, MINE), {@code clip} (5, SMILE),
 * {@code negatives} (1 shuffle per step, concat critic), {@code evalnegatives} (8), {@code gemmthreads} (1).
 *
 * <p>Critics: {@code concat} (MLP on [x; y], negatives from shuffled pairs, default for mine and
 * smile) and {@code separable} (f(x)·g(y), all b×b pairs of a batch as negatives, default for infonce).
 */
public final class NeuralEstimator extends AbstractEstimator {
    enum Kind {
        MINE, SMILE, INFONCE
    }

    private final Kind kind;
    private final boolean separable;
    private final int[] hidden;
    private final int embed, batch, steps, evalEvery, patience, negatives, evalNegatives;
    private final double lr, valFraction, testFraction, ema, clip;
    private final int gemmThreads;

    private NeuralEstimator(String name, Kind kind, boolean separable, int[] hidden, int embed, int batch, double lr,
                            int steps, int evalEvery, int patience, double valFraction, double testFraction, double ema,
                            double clip, int negatives, int evalNegatives, int gemmThreads) {
        super(name);
        this.gemmThreads = gemmThreads;
        this.kind = kind;
        this.separable = separable;
        this.hidden = hidden;
        this.embed = embed;
        this.batch = batch;
        this.lr = lr;
        this.steps = steps;
        this.evalEvery = evalEvery;
        this.patience = patience;
        this.valFraction = valFraction;
        this.testFraction = testFraction;
        this.ema = ema;
        this.clip = clip;
        this.negatives = negatives;
        this.evalNegatives = evalNegatives;
    }

    public static NeuralEstimator fromOptions(Options o) {
        Kind kind = switch (o.name()) {
            case "mine" -> Kind.MINE;
            case "smile" -> Kind.SMILE;
            case "infonce" -> Kind.INFONCE;
            default -> throw new IllegalArgumentException(o.name());
        };
        boolean sep = o.choice("critic", kind == Kind.INFONCE ? "separable" : "concat", "concat", "separable").equals("separable");
        int defBatch = kind == Kind.INFONCE && !sep ? 64 : 256;
        return new NeuralEstimator(o.name(), kind, sep, o.integers("hidden", new int[] {256, 256}),
                o.integer("embed", 64, 1), o.integer("batch", defBatch, 2), o.real("lr", 5e-4, 1e-12, 1),
                o.integer("steps", 0, 0), o.integer("evalevery", 100, 1), o.integer("patience", 8, 1),
                o.real("val", 0.1, 0.01, 0.5), o.real("test", 0.2, 0.01, 0.5), o.real("ema", 0.01, 1e-6, 1),
                o.real("clip", 5, 0, 1e6), o.integer("negatives", 1, 1), o.integer("evalnegatives", 8, 1),
                o.integer("gemmthreads", 1, 1));
    }

    @Override
    protected int minSamples() {
        return 100;
    }

    /** A split of the standardised samples. */
    private record Split(float[] x, float[] y, int rows) {}

    @Override
    protected Result compute(Matrix x, Matrix y, long seed, Context ctx) {
        int t = Math.max(1, Math.min(gemmThreads, org.emergence.tensor.Blas.threads()));
        return org.emergence.tensor.BlasThreads.with(t, () -> train(x, y, seed, ctx));
    }

    /** Default step limit: 3000, or 1500 above 512 input dimensions (about 30 s at 768 + 768 on 2 cores). */
    static int defaultSteps(int dx, int dy) {
        return dx + dy > 512 ? 1500 : 3000;
    }

    private Result train(Matrix x, Matrix y, long seed, Context ctx) {
        int n = x.rows(), dx = x.cols(), dy = y.cols();
        int steps = this.steps > 0 ? this.steps : defaultSteps(dx, dy);
        Rng rng = new Rng(seed);
        int[] perm = rng.permutation(n);
        int nTest = (int) Math.max(20, Math.round(testFraction * n));
        int nVal = (int) Math.max(20, Math.round(valFraction * n));
        int nTrain = n - nTest - nVal;
        if (nTrain < 20) throw new UserError(name() + ": " + n + " samples leave too few for training after the validation and test splits");
        int b = Math.min(batch, nTrain);
        double[][] statsX = stats(x, perm, nTest + nVal, n), statsY = stats(y, perm, nTest + nVal, n);
        Split test = split(x, y, perm, 0, nTest, statsX, statsY);
        Split val = split(x, y, perm, nTest, nTest + nVal, statsX, statsY);
        Split train = split(x, y, perm, nTest + nVal, n, statsX, statsY);
        for (String w : ctx.diagnostics().continuousWarnings()) ctx.warn(w);

        Critic critic = separable ? new SeparableCritic(dx, dy, hidden, embed, 0.01f, rng.split())
                : new ConcatCritic(dx, dy, hidden, 0.01f, rng.split());
        Adam adam = new Adam(critic.params, critic.grads, 0.9, 0.999, 1e-8);
        boolean all = separable || kind == Kind.INFONCE;

        double[] best = eval(critic, val, b, seed);
        float[][] bestParams = critic.snapshot();
        int bestStep = 0, sinceBest = 0, step = 0;
        double logEma = 0;
        float[] xb = new float[b * dx], yb = new float[b * dy];
        int[] order = rng.permutation(nTrain);
        int cursor = 0;
        String stop = "step limit";
        for (step = 1; step <= steps; step++) {
            if (cursor + b > nTrain) {
                order = rng.permutation(nTrain);
                cursor = 0;
            }
            for (int i = 0; i < b; i++) {
                int r = order[cursor + i];
                System.arraycopy(train.x, r * dx, xb, i * dx, dx);
                System.arraycopy(train.y, r * dy, yb, i * dy, dy);
            }
            cursor += b;
            int[][] pairs = all ? null : shiftedPairs(b, negatives, rng);
            float[] s = critic.forward(xb, yb, b, pairs == null ? null : pairs[0], pairs == null ? null : pairs[1]);
            if (!finite(s)) {
                stop = "diverged";
                ctx.warn("training diverged (non-finite critic scores) at step " + step + "; the best critic so far is used");
                break;
            }
            float[] g = new float[s.length];
            switch (kind) {
                case MINE -> {
                    double lme = Bounds.mineGrad(s, b, all, logEma, g, step == 1);
                    logEma = step == 1 ? lme : logAddExp(Math.log1p(-ema) + logEma, Math.log(ema) + lme);
                }
                case SMILE -> Bounds.jsGrad(s, b, all, g);
                case INFONCE -> Bounds.nceGrad(s, b, g);
            }
            critic.backward(g);
            adam.step(lr);
            if (step % evalEvery == 0 || step == steps) {
                double[] v = eval(critic, val, b, seed);
                if (Double.isFinite(v[0]) && v[0] > best[0]) {
                    best = v;
                    bestParams = critic.snapshot();
                    bestStep = step;
                    sinceBest = 0;
                } else if (++sinceBest >= patience) {
                    stop = "early stop (no validation improvement in " + patience + " evaluations)";
                    break;
                }
            }
        }
        int stepsRun = Math.min(step, steps);
        // "still improving": the best validation bound came in the last two evaluations
        if (stop.equals("step limit") && bestStep > steps - 2 * evalEvery) {
            ctx.warn("reached the step limit (" + steps + ") while the validation bound was still improving; "
                    + "more steps (" + name() + ":steps=N) may give a larger estimate");
        }
        critic.restore(bestParams);
        double[] t = eval(critic, test, b, seed ^ 0x9E3779B97F4A7C15L);
        ctx.put("critic", separable ? "separable" : "concat");
        ctx.put("hidden", java.util.Arrays.toString(hidden));
        ctx.put("batch", b);
        ctx.put("lr", lr);
        ctx.put("steps_run", stepsRun);
        ctx.put("best_step", bestStep);
        ctx.put("stop", stop);
        ctx.put("val_nats", best[0]);
        ctx.put("n_train", nTrain);
        ctx.put("n_val", nVal);
        ctx.put("n_test", nTest);
        ctx.put("parameters", critic.parameterCount());
        if (!Double.isFinite(t[0])) {
            throw new UserError(name() + ": the trained critic gives a non-finite bound on the test split; "
                    + "try a smaller learning rate (" + name() + ":lr=1e-4)");
        }
        return new Result(t[0], t[0] - 1.96 * t[1], t[0] + 1.96 * t[1],
                String.format(Locale.ROOT, "delta-method 95%% on the held-out test split (n=%d)", nTest), t[2]);
    }

    /** {value, standard error, ceiling ln(n_eval)} of the bound on a split. */
    private double[] eval(Critic critic, Split sp, int trainBatch, long seed) {
        Bounds.Acc acc = new Bounds.Acc();
        int m = sp.rows, dx = sp.x.length / m, dy = sp.y.length / m;
        boolean all = separable || kind == Kind.INFONCE;
        int blk = all ? (separable ? Math.min(m, 2048) : Math.min(m, trainBatch)) : Math.min(m, 2048);
        Rng r = new Rng(seed + 12345);
        for (int start = 0; start + blk <= m; start += blk) {
            float[] xb = java.util.Arrays.copyOfRange(sp.x, start * dx, (start + blk) * dx);
            float[] yb = java.util.Arrays.copyOfRange(sp.y, start * dy, (start + blk) * dy);
            int[][] pairs = all ? null : shiftedPairs(blk, evalNegatives, r);
            float[] s = critic.forward(xb, yb, blk, pairs == null ? null : pairs[0], pairs == null ? null : pairs[1]);
            if (kind == Kind.INFONCE) Bounds.accumulateNce(s, blk, acc);
            else Bounds.accumulateDv(s, blk, all, kind == Kind.SMILE ? clip : Double.POSITIVE_INFINITY, acc);
        }
        double ceiling = Math.log(blk);
        if (kind == Kind.INFONCE) return new double[] {acc.rowMean(), acc.rowSe(), ceiling};
        return new double[] {acc.dv(), acc.dvSe(), ceiling};
    }

    /** Joint pairs (i, i), then k blocks of negatives (σ(t), σ(t+1)) for random permutations σ (no self-pairs). */
    static int[][] shiftedPairs(int b, int k, Rng r) {
        int[] pi = new int[b * (1 + k)], pj = new int[b * (1 + k)];
        for (int i = 0; i < b; i++) {
            pi[i] = i;
            pj[i] = i;
        }
        for (int q = 0; q < k; q++) {
            int[] s = r.permutation(b);
            for (int t = 0; t < b; t++) {
                pi[b * (q + 1) + t] = s[t];
                pj[b * (q + 1) + t] = s[(t + 1) % b];
            }
        }
        return new int[][] {pi, pj};
    }

    /** Column means and standard deviations over the rows perm[from..to) (sd 0 → 1). */
    static double[][] stats(Matrix m, int[] perm, int from, int to) {
        int d = m.cols();
        float[] a = m.data();
        double[] mean = new double[d], sd = new double[d];
        for (int k = from; k < to; k++) for (int j = 0; j < d; j++) mean[j] += a[perm[k] * d + j];
        for (int j = 0; j < d; j++) mean[j] /= (to - from);
        for (int k = from; k < to; k++) {
            for (int j = 0; j < d; j++) {
                double v = a[perm[k] * d + j] - mean[j];
                sd[j] += v * v;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / (to - from));
            if (!(sd[j] > 0)) sd[j] = 1;
        }
        return new double[][] {mean, sd};
    }

    private static Split split(Matrix x, Matrix y, int[] perm, int from, int to, double[][] sx, double[][] sy) {
        return new Split(standardised(x, perm, from, to, sx), standardised(y, perm, from, to, sy), to - from);
    }

    static float[] standardised(Matrix m, int[] perm, int from, int to, double[][] st) {
        int d = m.cols();
        float[] a = m.data(), out = new float[(to - from) * d];
        for (int k = from; k < to; k++) {
            int src = perm[k] * d, dst = (k - from) * d;
            for (int j = 0; j < d; j++) out[dst + j] = (float) ((a[src + j] - st[0][j]) / st[1][j]);
        }
        return out;
    }

    static boolean finite(float[] s) {
        for (float v : s) if (!Float.isFinite(v)) return false;
        return true;
    }

    static double logAddExp(double a, double b) {
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }
}
