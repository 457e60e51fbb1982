package org.emergence.ie;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.emergence.common.UserError;

/**
 * The layer noise scale of another run ({@code --noise-reference RUN_DIR}): the pooled RMS of each hidden
 * state h^k that the reference run scaled its σ by, read back from its estimate files (every estimate
 * records the absolute σ of its input and output). Two datasets measured through one model with one
 * reference are measured at the same resolution — the noise is then a property of the model's layers,
 * not of the dataset, and a difference in IE is not a difference in activation scale.
 */
public final class NoiseReference {
    private static final Pattern MACRO = Pattern.compile("macro_l(\\d{3})_t\\d{4}\\.json");

    private NoiseReference() {}

    /**
     * The reference's RMS of h^k for k = 0 … max block + 1 (NaN where it has no estimate).
     *
     * @param model    this run's --model: the reference must be a run of the same model
     * @param ablation this run's ablation key: and of the same ablation
     */
    public static double[] read(Path dir, String model, String ablation) {
        String what = "--noise-reference " + dir;
        Path settingsFile = dir.resolve(SettingsJson.FILE);
        if (!Files.isRegularFile(settingsFile)) throw new UserError(what + ": not a run directory (no settings.json)");
        SettingsJson.Stored s = SettingsJson.read(settingsFile);
        if (!s.model().equals(model) || !s.ablation().equals(ablation)) {
            throw new UserError(what + ": a run of " + s.model() + " (ablation " + s.ablation()
                    + "), not of " + model + " (ablation " + ablation + "); a reference scale is only meaningful for the same model");
        }
        double noise = s.noise() == null ? 0 : s.noise();
        if (!(noise > 0) || !s.noiseScale().equals("layer")) {
            throw new UserError(what + ": that run did not scale σ by the layer RMS (noise " + (s.noise() == null ? "unset" : s.noise())
                    + ", noise_scale " + s.noiseScale() + ")");
        }
        double[] rms = new double[0];
        Path est = dir.resolve("est");
        if (Files.isDirectory(est)) {
            try (Stream<Path> files = Files.list(est)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    Matcher m = MACRO.matcher(f.getFileName().toString());
                    if (!m.matches()) continue;
                    int l = Integer.parseInt(m.group(1));
                    java.util.Map<String, Object> d = EstimateFile.read(f).estimate().diagnostics();
                    if (!(d.get("noise_sigma_x") instanceof Number sx) || !(d.get("noise_sigma_y") instanceof Number sy)) continue;
                    if (rms.length < l + 2) {
                        int old = rms.length;
                        rms = Arrays.copyOf(rms, l + 2);
                        Arrays.fill(rms, old, rms.length, Double.NaN);
                    }
                    rms[l] = sx.doubleValue() / noise;
                    rms[l + 1] = sy.doubleValue() / noise;
                }
            } catch (IOException e) {
                throw new UserError(what + ": cannot list " + est + " (" + e.getMessage() + ")");
            }
        }
        return rms;
    }

    /** Refuses a reference that lacks the scale of a block this run measures. */
    static void requireBlocks(double[] rms, int[] layers, Path dir) {
        for (int l : layers) {
            boolean ok = l + 1 < rms.length && rms[l] > 0 && rms[l + 1] > 0 && Double.isFinite(rms[l]) && Double.isFinite(rms[l + 1]);
            if (!ok) {
                throw new UserError("--noise-reference " + dir + ": has no finished estimate of block " + l
                        + " (the RMS of its input and output); run the reference over the same --layers first");
            }
        }
    }
}
