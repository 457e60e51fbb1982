package org.emergence.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.emergence.common.JsonFiles;
import org.emergence.data.Datasets;
import org.emergence.data.DatasetSpec;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.model.ConfigReader;
import org.emergence.model.family.Families;
import org.emergence.model.Family;
import org.emergence.model.io.OnnxModel;
import org.emergence.model.io.Safetensors;

/**
 * Coverage-guided fuzz targets for every parser of outside input. Each method is a libFuzzer-style
 * entry point: {@code .ci/fuzz} runs them with the Jazzer driver for a bounded time, and
 * {@link ParserFuzzTest} replays the seed and regression inputs in src/test/resources on every
 * {@code mvn test}.
 */
public final class ParserFuzzTargets {
    private ParserFuzzTargets() {}

    /** The .safetensors header: 8-byte length, JSON of dtypes, shapes and offsets. */
    public static void safetensors(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> Safetensors.open(FuzzFiles.file("model.safetensors", data)));
    }

    /** The .npy header and body (int and float readers). */
    public static void npy(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> {
            var f = FuzzFiles.file("x.npy", data);
            NpyHeader h = Npy.header(f);
            if (h.count() <= 1 << 16) {
                if (h.dtype().isFloat()) Npy.readFloats(f, h);
                else Npy.readLongs(f, h);
            }
        });
    }

    /** The ONNX protobuf reader (graph, initializers, external data). */
    public static void onnx(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> OnnxModel.read(FuzzFiles.file("model.onnx", data)));
    }

    /** config.json: JSON parsing, the family lookup and every family's configuration reader. */
    public static void config(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> {
            var dir = FuzzFiles.dirWith("config.json", data);
            JsonNode cfg = JsonFiles.readObject(dir.resolve("config.json"));
            Family f = Families.forConfig(cfg, dir);
            f.parse(new ConfigReader(cfg, dir));
        });
    }

    /** run settings.json as a resumed run reads it. */
    public static void settings(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> {
            JsonNode stored = JsonFiles.readObject(FuzzFiles.file("settings.json", data));
            RunSettingsProbe.compare(stored);
        });
    }

    /**
     * --dataset specs: parsed, and built for the kinds that read no file (random; icl, which without a
     * tokenizer must be refused). Kinds naming a path are only parsed: the fuzzer must not read /dev/zero.
     */
    public static void datasetSpec(byte[] data) {
        String spec = new String(data, StandardCharsets.UTF_8);
        FuzzFiles.expectOnlyUserErrors(() -> {
            DatasetSpec p = DatasetSpec.parse(spec);
            if (p.kind().equals("random") || p.kind().equals("icl")) {
                Datasets.build(spec, null, 1 + (spec.length() % 7), spec.length() % 3 == 0 ? 0 : 1 + spec.length() % 9, 1);
            }
        });
    }

    /** pytorch_model.bin: the zip and legacy containers and the restricted unpickler. */
    public static void torchbin(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> org.emergence.model.io.TorchBin.open(FuzzFiles.file("pytorch_model.bin", data)));
    }

    /**
     * SentencePiece tokenizer.model: the protobuf reader, the conversion to a tokenizer.json, and the
     * native library loading the result and encoding a text (a precompiled_charsmap reaches it here).
     */
    public static void sentencepiece(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> {
            var dir = FuzzFiles.dirWith("tokenizer.model", data);
            if (org.emergence.tokenize.TokenizerFiles.convert(dir) == null) return;
            try (var t = org.emergence.tokenize.Tokenizer.fromModelDir(dir)) {
                t.encode("The cat sat, 42 times. \u00c9t\u00e9 \uff21", true);
            }
        });
    }

    /**
     * A SentencePiece precompiled_charsmap as the input bytes, always well-formed base64 inside an
     * otherwise valid tokenizer.json, loaded by the native library and used on a text that reaches
     * the map: a map the check lets through and the library panics on aborts the fuzzer (a finding).
     */
    public static void charsmap(byte[] data) {
        String json = "{\"version\": \"1.0\", \"added_tokens\": [], \"normalizer\": {\"type\": \"Precompiled\", "
                + "\"precompiled_charsmap\": \"" + java.util.Base64.getEncoder().encodeToString(data) + "\"}, \"pre_tokenizer\": "
                + "{\"type\": \"WhitespaceSplit\"}, \"post_processor\": null, \"decoder\": null, \"model\": {\"type\": \"WordLevel\", "
                + "\"vocab\": {\"[UNK]\": 0, \"a\": 1}, \"unk_token\": \"[UNK]\"}}";
        FuzzFiles.expectOnlyUserErrors(() -> {
            try (var t = org.emergence.tokenize.Tokenizer.fromFile(FuzzFiles.file("tokenizer.json", utf8(json)))) {
                t.encode("A a \u00c9\u00e9 \uff21 \u1100\u1161 x\u0301 \ud83d\ude00 0123", false);
            }
        });
    }

    /**
     * The Hugging Face cache's revision names and refs files: the input's first line is the revision
     * (empty: main), the rest the content of refs/main. A model resolved outside the cache is a finding.
     */
    public static void refs(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        String rev = nl < 0 ? s : s.substring(0, nl), ref = nl < 0 ? "" : s.substring(nl + 1);
        FuzzFiles.expectOnlyUserErrors(() -> {
            java.nio.file.Path cache = FuzzFiles.dirWith("marker", new byte[0]).resolve("hub");
            java.nio.file.Path repo = cache.resolve("models--org--name");
            java.nio.file.Files.createDirectories(repo.resolve("snapshots").resolve("0123456789abcdef0123456789abcdef01234567"));
            java.nio.file.Files.createDirectories(repo.resolve("refs"));
            java.nio.file.Files.writeString(repo.resolve("refs").resolve("main"), ref);
            var r = org.emergence.model.io.HubCache.resolveId("org/name", rev.isEmpty() ? null : rev, cache);
            if (!r.dir().toAbsolutePath().normalize().startsWith(repo.resolve("snapshots").toAbsolutePath().normalize())) {
                throw new AssertionError("resolved outside the cache: " + r.dir());
            }
        });
    }

    /** tokenizer.json, as DJL (Rust tokenizers) loads it, then used on a short text. */
    public static void tokenizer(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> {
            try (var t = org.emergence.tokenize.Tokenizer.fromFile(FuzzFiles.file("tokenizer.json", data))) {
                t.encode("The cat sat, 42 times.", true);
            }
        });
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
