package org.emergence.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.emergence.common.Progress;
import org.emergence.common.UserError;
import org.emergence.model.Family;
import org.emergence.model.InitSpec;
import org.emergence.model.RandomCheckpoint;
import org.emergence.model.family.Families;
import org.emergence.model.io.StorageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write a random-weight checkpoint in the Hugging Face layout (config.json + model.safetensors).",
            "Loadable by this tool and by Hugging Face transformers; an untrained-model baseline and benchmark input."})
final class InitCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--arch", required = true, paramLabel = "TYPE", description = "model_type: ${COMPLETION-CANDIDATES}",
            completionCandidates = ArchCandidates.class)
    String arch;

    @Option(names = "--layers", defaultValue = "12", description = "Blocks (default ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--hidden", defaultValue = "768", description = "Hidden size (default ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--heads", defaultValue = "12", description = "Attention heads (default ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--kv-heads", defaultValue = "0", description = "Key/value heads for grouped-query families (default: = heads).")
    int kvHeads;

    @Option(names = "--head-dim", defaultValue = "0", description = "Head size where the family allows it (default: hidden/heads).")
    int headDim;

    @Option(names = "--intermediate", defaultValue = "0", description = "MLP width (default: the family's usual multiple of hidden).")
    int intermediate;

    @Option(names = "--vocab", defaultValue = "50257", description = "Vocabulary size (default ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--max-positions", defaultValue = "0", description = "Positions (default: 1024, or 2048 for rotary families).")
    int maxPositions;

    @Option(names = "--dtype", defaultValue = "f32", description = "Stored dtype: f32, f16 or bf16 (default ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--std", defaultValue = "0.02", description = "Standard deviation of random matrices (default ${DEFAULT-VALUE}).")
    double std;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output model directory.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final class ArchCandidates implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Families.supported().iterator();
        }
    }

    /**
     * init never overwrites a model, and never writes beside one: a directory holding a config.json or
     * weights (a sharded checkpoint's index would even shadow the new model.safetensors) is refused.
     */
    static void refuseExistingCheckpoint(Path out) throws java.io.IOException {
        if (java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            throw new UserError("--out " + out + " is a file, not a directory");
        }
        if (!java.nio.file.Files.isDirectory(out)) return;
        java.util.List<String> found = new java.util.ArrayList<>();
        try (var s = java.nio.file.Files.list(out)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.equals("config.json") || n.endsWith(".safetensors") || n.endsWith(".index.json") || n.endsWith(".bin")
                        || n.endsWith(".onnx") || n.endsWith(".pt") || n.endsWith(".pth")) found.add(n);
            }
        }
        if (!found.isEmpty()) {
            java.util.Collections.sort(found);
            throw new UserError("--out " + out + " already holds a model (" + String.join(", ", found.subList(0, Math.min(4, found.size())))
                    + (found.size() > 4 ? ", …" : "") + "); init never overwrites or writes beside one: give a new or empty directory");
        }
    }

    @Override
    public Integer call() throws Exception {
        common.applyThreads();
        Family f = Families.get(arch);
        StorageType type = switch (dtype.toLowerCase(Locale.ROOT)) {
            case "f32", "float32", "fp32" -> StorageType.F32;
            case "f16", "float16", "fp16" -> StorageType.F16;
            case "bf16", "bfloat16" -> StorageType.BF16;
            default -> throw new UserError("--dtype: unknown '" + dtype + "' (use f32, f16 or bf16)");
        };
        for (int[] v : new int[][] {{layers, 0}, {hidden, 1}, {heads, 2}, {vocab, 3}}) {
            if (v[0] < 1) throw new UserError("--" + new String[] {"layers", "hidden", "heads", "vocab"}[v[1]] + " must be >= 1");
        }
        if (kvHeads < 0 || headDim < 0 || intermediate < 0 || maxPositions < 0) throw new UserError("sizes must be >= 0");
        if (!(std > 0)) throw new UserError("--std must be > 0");
        refuseExistingCheckpoint(out);
        InitSpec s = new InitSpec(f.modelTypes().get(0), layers, hidden, heads, kvHeads, headDim, intermediate, vocab,
                maxPositions, type, seed);
        Progress p = Progress.start("init", 0, "MB", true);
        long t0 = System.nanoTime();
        RandomCheckpoint.write(f, s, std, out, p::step);
        double secs = (System.nanoTime() - t0) / 1e9;
        long bytes = java.nio.file.Files.size(out.resolve("model.safetensors"));
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s %s checkpoint (%d layers, hidden %d, %s, %.1f MB) to %s in %.1f s%n",
                f.modelTypes().get(0), type, layers, hidden, dtype, bytes / 1e6, out, secs);
        return 0;
    }
}
