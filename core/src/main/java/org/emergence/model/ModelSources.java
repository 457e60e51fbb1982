package org.emergence.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.common.UserError;
import org.emergence.model.io.HubCache;
import org.emergence.tokenize.Tokenizer;

/**
 * Resolves a --model argument: a Hugging Face model directory (a plain folder, a snapshot folder, or
 * a repo folder of the hub cache), a BERT-family {@code .onnx} file, the name of a built-in model
 * ({@link BuiltinModels}: minilm …), or a repo id ORG/NAME[@REV] found in the local Hugging Face cache
 * ({@link HubCache}; never downloaded). An existing path wins over a built-in name, and a built-in name
 * over a repo id.
 */
public final class ModelSources {
    private ModelSources() {}

    public static final String DESCRIPTION = "Hugging Face model directory, hub-cache repo id ORG/NAME[@REV], BERT-family .onnx file, "
            + "or built-in model name (minilm, tinylm, tinylm-*; bge-small, e5-small with -Pextra-models).";

    /** The model spec with {@code --revision} applied (ID@REV), or the spec itself when no revision is given. */
    public static String withRevision(String spec, String revision) {
        if (revision == null || revision.isBlank()) return spec;
        if (spec.contains("@")) throw new UserError("--revision " + revision + ": the model " + spec + " names a revision already; give it once");
        if (!HubCache.looksLikeRepoId(spec) || BuiltinModels.isBuiltin(spec) || java.nio.file.Files.exists(java.nio.file.Path.of(spec))) {
            throw new UserError("--revision " + revision + " applies to a Hugging Face repo id (ORG/NAME), not to " + spec);
        }
        return spec + "@" + revision;
    }

    public static Transformer load(String spec) {
        Path p = Path.of(spec);
        if (Files.exists(p)) {
            if (Files.isRegularFile(p) && isOnnx(p)) return OnnxBert.load(p);
            if (Files.isDirectory(p) && HubCache.isRepoFolder(p)) return Transformer.load(HubCache.resolveRepoFolder(p, null).dir());
            return Transformer.load(p);
        }
        if (BuiltinModels.isBuiltin(spec)) return BuiltinModels.load(spec);
        return Transformer.load(cached(spec).dir());
    }

    public static Tokenizer tokenizer(String spec) {
        Path p = Path.of(spec);
        if (Files.exists(p)) {
            if (Files.isRegularFile(p) && isOnnx(p)) return onnxTokenizer(p);
            if (Files.isDirectory(p) && HubCache.isRepoFolder(p)) return Tokenizer.fromModelDir(HubCache.resolveRepoFolder(p, null).dir());
            return Tokenizer.fromModelDir(p);
        }
        if (BuiltinModels.isBuiltin(spec)) return BuiltinModels.tokenizer(spec);
        return Tokenizer.fromModelDir(cached(spec).dir());
    }

    /** Where a --model argument comes from, for settings and summaries (null fields for a plain path or a built-in). */
    public static HubCache.Resolved provenance(String spec) {
        Path p = Path.of(spec);
        if (Files.exists(p)) {
            if (Files.isDirectory(p) && HubCache.isRepoFolder(p)) return HubCache.resolveRepoFolder(p, null);
            return new HubCache.Resolved(p, null, null, null);
        }
        if (BuiltinModels.isBuiltin(spec)) return new HubCache.Resolved(null, null, null, null);
        return cached(spec);
    }

    /** A repo id in the local Hugging Face cache; a near miss of a built-in name says so instead. */
    private static HubCache.Resolved cached(String spec) {
        if (!HubCache.looksLikeRepoId(spec)) throw notFound(spec);
        try {
            return HubCache.resolveId(spec, null, HubCache.root());
        } catch (UserError e) {
            if (!spec.contains("/") && org.emergence.common.Suggest.closest(spec, BuiltinModels.known()) != null) throw notFound(spec);
            throw e;
        }
    }

    private static boolean isOnnx(Path p) {
        return p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx");
    }

    /** Next to X.onnx: X-tokenizer.json, tokenizer.json, or ../tokenizer.json (the onnx/ subfolder layout). */
    private static Tokenizer onnxTokenizer(Path onnx) {
        Path dir = onnx.toAbsolutePath().getParent();
        String stem = onnx.getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        for (Path c : new Path[] {dir.resolve(stem + "-tokenizer.json"), dir.resolve("tokenizer.json"),
            dir.getParent() == null ? null : dir.getParent().resolve("tokenizer.json")}) {
            if (c != null && Files.isRegularFile(c)) return Tokenizer.fromFile(c);
        }
        throw new UserError(onnx + ": no tokenizer found (looked for " + stem + "-tokenizer.json and tokenizer.json next to it, "
                + "and ../tokenizer.json); give token ids instead: capture --ids FILE.npy, run --dataset ids:FILE.npy");
    }

    private static UserError notFound(String spec) {
        java.util.List<String> avail = BuiltinModels.list(), missing = new java.util.ArrayList<>(BuiltinModels.known());
        missing.removeAll(avail);
        String near = org.emergence.common.Suggest.closest(spec, BuiltinModels.known());
        return new UserError(spec + ": no such model directory or .onnx file, and not a built-in model (built-in: "
                + String.join(", ", avail) + (missing.isEmpty() ? "" : "; " + String.join(", ", missing) + " with -Pextra-models")
                + ")" + (near != null ? "; did you mean " + near + "?" : ""));
    }
}
