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

    /** SentencePiece tokenizer.model: the protobuf reader and the conversion to a tokenizer.json. */
    public static void sentencepiece(byte[] data) {
        FuzzFiles.expectOnlyUserErrors(() -> {
            var dir = FuzzFiles.dirWith("tokenizer.model", data);
            org.emergence.tokenize.TokenizerFiles.convert(dir);
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
