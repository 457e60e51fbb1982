package org.emergence.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.emergence.common.AtomicFiles;
import org.emergence.common.LocalDirs;
import org.emergence.common.UserError;
import org.emergence.model.io.Checkpoint;
import org.emergence.model.io.CheckpointWriter;
import org.emergence.model.io.StorageType;
import org.emergence.model.io.Weight;

/**
 * A transform of a model's weights, for controls and ablations ({@code --ablate}):
 * <ul>
 *   <li>{@code untrained[:SEED]} — the same architecture and shape with the Hugging Face
 *       initialisation: matrices and embeddings ~ N(0, initializer_range²) (GPT-2's residual output
 *       projections scaled by 1/√(2·n_layer), as {@code GPT2PreTrainedModel._init_weights} does), norm
 *       weights 1, biases 0;</li>
 *   <li>{@code attn-reinit[:SEED]} — the query, key and value projections re-initialised Xavier-normal
 *       (std √(2/(fan_in + fan_out)) per projection) with zero biases, everything else kept, as in the
 *       paper's code;</li>
 *   <li>{@code ln-zero} — every LayerNorm/RMSNorm scale and bias set to 0 (for (1 + w) norms, w = −1).</li>
 * </ul>
 * The transformed weights are written once, float32, to {@code LocalDirs.root()/ablations/<key>/}
 * (keyed by the source weights and the transform) and memory-mapped like any checkpoint.
 */
public record Ablation(String kind, long seed) {
    public static final Ablation NONE = new Ablation("none", 0);

    public static Ablation parse(String spec) {
        String s = spec == null ? "none" : spec.strip();
        String kind = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
        String arg = s.contains(":") ? s.substring(s.indexOf(':') + 1) : null;
        if (!List.of("none", "untrained", "attn-reinit", "ln-zero").contains(kind)) {
            throw new UserError("--ablate " + spec + ": unknown transform '" + kind
                    + "' (use none, untrained[:SEED], attn-reinit[:SEED] or ln-zero)");
        }
        if (arg != null && (kind.equals("none") || kind.equals("ln-zero"))) {
            throw new UserError("--ablate " + spec + ": " + kind + " takes no argument");
        }
        long seed = 0;
        if (arg != null) {
            try {
                seed = Long.parseLong(arg.strip());
            } catch (NumberFormatException e) {
                throw new UserError("--ablate " + spec + ": the seed must be an integer, found '" + arg + "'");
            }
        }
        return new Ablation(kind, seed);
    }

    /** The canonical spelling recorded in settings.json ("none", "untrained:3", "ln-zero"). */
    public String key() {
        return kind.equals("none") || kind.equals("ln-zero") ? kind : kind + ":" + seed;
    }

    public boolean isNone() {
        return kind.equals("none");
    }

    /** The transformed model (the model itself for {@code none}). */
    public Transformer apply(Transformer m, String modelName) {
        if (isNone()) return m;
        Layout layout = m.family().layout(m.config());
        Checkpoint ck = m.checkpoint();
        Map<String, Layout.Tensor> tensors = new LinkedHashMap<>();
        for (Layout.Tensor t : layout.all()) if (ck.has(t.name())) tensors.putIfAbsent(t.name(), t);
        Set<String> qkv = new HashSet<>(), qkvBias = new HashSet<>(), residualOut = new HashSet<>();
        Map<String, Double> xavier = new LinkedHashMap<>();
        for (Layout.Block b : layout.blocks()) {
            for (Layout.LinearSpec l : b.qkv()) {
                qkv.add(l.weight().name());
                if (l.bias() != null) qkvBias.add(l.bias().name());
                // a fused projection holds q, k and v side by side: each part maps hidden → about hidden
                double fanOut = b.qkv().size() == 1 ? l.in() : l.out();
                xavier.put(l.weight().name(), Math.sqrt(2.0 / (l.in() + fanOut)));
            }
            if (m.config().modelType().equals("gpt2")) {
                residualOut.add(b.out().weight().name());
                residualOut.add(b.down().weight().name());
            }
        }
        // read as every other config field is: a value that is not a number is one line naming config.json
        double range = new ConfigReader(ck.config(), ck.dir()).doubleOpt("initializer_range", 0.02);
        double residualStd = range / Math.sqrt(2.0 * m.config().layers());
        Map<String, CheckpointWriter.Filler> fill = new LinkedHashMap<>();
        int index = 0;
        for (Layout.Tensor t : tensors.values()) {
            long ts = CheckpointWriter.mix(seed, index++);
            Weight w = ck.get(t.name());
            boolean norm = t.role() == Layout.Role.NORM_ONE || t.role() == Layout.Role.NORM_ZERO;
            fill.put(t.name(), switch (kind) {
                case "untrained" -> switch (t.role()) {
                    case MATRIX, EMBEDDING -> CheckpointWriter.gaussian(ts, residualOut.contains(t.name()) ? residualStd : range);
                    case NORM_ONE -> constant(1f);
                    case NORM_ZERO, BIAS -> constant(0f);
                };
                case "attn-reinit" -> qkv.contains(t.name()) ? CheckpointWriter.gaussian(ts, xavier.get(t.name()))
                        : qkvBias.contains(t.name()) ? constant(0f) : copy(w);
                default -> norm ? constant(t.role() == Layout.Role.NORM_ZERO ? -1f : 0f)
                        : isNormBias(layout, t.name()) ? constant(0f) : copy(w);
            });
        }
        Path dir = cacheDir(m, modelName, tensors.values());
        try {
            if (!Files.isRegularFile(dir.resolve("model.safetensors"))) {
                Files.createDirectories(dir);
                AtomicFiles.writeString(dir.resolve("config.json"), new ObjectMapper().writeValueAsString(ck.config()) + "\n");
                CheckpointWriter.write(dir.resolve("model.safetensors"), new ArrayList<>(tensors.values()), fill,
                        StorageType.F32, null);
            }
        } catch (IOException e) {
            throw new UserError(dir + ": cannot write the " + key() + " weights (" + e.getMessage() + ")", e);
        }
        return Transformer.of(Checkpoint.open(dir), m.family(), m.config());
    }

    private static boolean isNormBias(Layout layout, String name) {
        List<Layout.NormSpec> norms = new ArrayList<>();
        norms.add(layout.embeddingNorm());
        norms.add(layout.finalNorm());
        for (Layout.Block b : layout.blocks()) {
            norms.add(b.norm1());
            norms.add(b.norm2());
            norms.add(b.norm1Post());
            norms.add(b.norm2Post());
        }
        for (Layout.NormSpec n : norms) if (n != null && n.bias() != null && n.bias().name().equals(name)) return true;
        return false;
    }

    private static CheckpointWriter.Filler constant(float v) {
        return (from, dst, n) -> java.util.Arrays.fill(dst, 0, n, v);
    }

    private static CheckpointWriter.Filler copy(Weight w) {
        return (from, dst, n) -> {
            FloatBuffer b = FloatBuffer.allocate(n);
            w.readF32(from, n, b, 0);
            b.get(0, dst, 0, n);
        };
    }

    /** LocalDirs/ablations/&lt;model&gt;-&lt;transform&gt;-&lt;hash of the source weights' identity&gt;. */
    private Path cacheDir(Transformer m, String modelName, Iterable<Layout.Tensor> tensors) {
        StringBuilder id = new StringBuilder(key()).append('|').append(m.dir()).append('|');
        for (Layout.Tensor t : tensors) {
            Weight w = m.checkpoint().get(t.name());
            id.append(t.name()).append(java.util.Arrays.toString(w.shape())).append(w.type()).append(';');
            if (w.file() != null) {
                try {
                    id.append(Files.size(w.file())).append('@').append(Files.getLastModifiedTime(w.file()).toMillis());
                } catch (IOException ignored) {
                    // an unreadable source fails later, when the weights are read
                }
            }
        }
        String hash;
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.toString().getBytes(StandardCharsets.UTF_8));
            hash = java.util.HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String name = (Path.of(modelName).getFileName() + "-" + key()).replaceAll("[^A-Za-z0-9_.=-]+", "_").toLowerCase(Locale.ROOT);
        return LocalDirs.root().resolve("ablations").resolve(name + "-" + hash);
    }
}
