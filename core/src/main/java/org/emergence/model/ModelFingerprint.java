package org.emergence.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.emergence.common.CacheDigests;
import org.emergence.common.UserError;
import org.emergence.model.io.HubCache;
import org.emergence.model.io.WeightDigests;

/**
 * The SHA-256 of every file a run's numbers depend on — the weights, config.json and the tokenizer
 * files of a model directory; an .onnx file and its tokenizer; a built-in model's files by the digests
 * recorded at build time — recorded in settings.json so that a resumed run refuses, by file name, a
 * model that changed in between (a config edited after a kill would otherwise mix two models).
 */
public final class ModelFingerprint {
    private ModelFingerprint() {}

    /** Files besides the weights that change what a model computes or how text becomes ids. */
    static final Set<String> DEPENDED_ON = Set.of("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
            "added_tokens.json", "vocab.json", "merges.txt", "vocab.txt", "tokenizer.model", "spiece.model");

    /** File name → lower-case hex SHA-256, for the model {@code spec} resolved at {@code r}. */
    public static Map<String, String> of(String spec, HubCache.Resolved r) {
        Map<String, String> out = new TreeMap<>();
        if (r.dir() == null && BuiltinModels.isBuiltin(spec)) {
            BuiltinModels.Info i = BuiltinModels.info(spec);
            String[] res = i.format() == BuiltinModels.Format.ONNX ? new String[] {i.resource(), i.tokenizerResource()}
                    : new String[] {i.resource() + "model.safetensors", i.resource() + "config.json", i.tokenizerResource()};
            for (String x : res) {
                CacheDigests.Entry e = CacheDigests.of(x);
                if (e != null) out.put(x.substring(x.lastIndexOf('/') + 1), e.sha256());
            }
            return out;
        }
        Path p = r.dir();
        if (p == null) return out;
        if (Files.isRegularFile(p)) { // an .onnx file, with the tokenizer beside it
            out.put(p.getFileName().toString(), WeightDigests.sha256(p));
            Path parent = p.toAbsolutePath().getParent();
            String stem = p.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
            for (Path t : new Path[] {parent.resolve(stem + "-tokenizer.json"), parent.resolve("tokenizer.json")}) {
                if (Files.isRegularFile(t)) out.put(t.getFileName().toString(), small(t));
            }
            return out;
        }
        if (!Files.isDirectory(p)) return out;
        try (Stream<Path> s = Files.list(p)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String n = f.getFileName().toString();
                if (!Files.isRegularFile(f)) continue;
                if (weight(n)) out.put(n, WeightDigests.sha256(f));
                else if (DEPENDED_ON.contains(n) || n.endsWith(".index.json")) out.put(n, small(f));
            }
        } catch (IOException e) {
            throw new UserError(p + ": cannot list the model's files (" + e.getMessage() + ")", e);
        }
        return out;
    }

    static boolean weight(String n) {
        return n.endsWith(".safetensors") || n.endsWith(".bin") || n.endsWith(".onnx") || n.endsWith(".pt");
    }

    /** Small files are hashed every time (no cache keyed by modification time, which an edit can keep). */
    private static String small(Path f) {
        try {
            return CacheDigests.sha256(f);
        } catch (IOException e) {
            throw new UserError(f + ": cannot read to compute its SHA-256 (" + e.getMessage() + ")", e);
        }
    }
}
