package org.emergence.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.emergence.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every seed and every regression input of the fuzz targets (src/test/resources/fuzz/&lt;target&gt;/,
 * where a finding of .ci/fuzz is kept as crash-* once fixed) and a few thousand cheap mutations of the
 * seeds: each parser must accept the input or refuse it with a one-line UserError.
 */
class ParserFuzzTest {
    static final List<String> TARGETS = List.of("safetensors", "npy", "onnx", "config", "settings", "datasetSpec", "tokenizer", "torchbin", "sentencepiece",
            "charsmap", "refs");

    static Consumer<byte[]> target(String name) {
        return switch (name) {
            case "safetensors" -> ParserFuzzTargets::safetensors;
            case "npy" -> ParserFuzzTargets::npy;
            case "onnx" -> ParserFuzzTargets::onnx;
            case "config" -> ParserFuzzTargets::config;
            case "settings" -> ParserFuzzTargets::settings;
            case "datasetSpec" -> ParserFuzzTargets::datasetSpec;
            case "tokenizer" -> ParserFuzzTargets::tokenizer;
            case "torchbin" -> ParserFuzzTargets::torchbin;
            case "sentencepiece" -> ParserFuzzTargets::sentencepiece;
            case "charsmap" -> ParserFuzzTargets::charsmap;
            case "refs" -> ParserFuzzTargets::refs;
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> inputs() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String t : TARGETS) {
            Path dir = TestFiles.resource("fuzz/" + t);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) out.add(Arguments.of(t, p.getFileName().toString()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("inputs")
    void seedsAndRegressionsAreAcceptedOrRefusedInOneLine(String t, String file) throws IOException {
        target(t).accept(Files.readAllBytes(TestFiles.resource("fuzz/" + t).resolve(file)));
    }

    /** Truncations, byte flips and splices of every seed: a fixed, fast sample of what the fuzzer explores. */
    @ParameterizedTest(name = "{0} mutations")
    @MethodSource("targets")
    void mutationsOfTheSeedsAreAcceptedOrRefusedInOneLine(String t) throws IOException {
        Random r = new Random(t.hashCode());
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> s = Files.list(TestFiles.resource("fuzz/" + t))) {
            for (Path p : s.sorted().toList()) seeds.add(Files.readAllBytes(p));
        }
        int runs = t.equals("tokenizer") ? 150 : 600;
        for (int i = 0; i < runs; i++) {
            byte[] a = seeds.get(r.nextInt(seeds.size())).clone();
            switch (r.nextInt(3)) {
                case 0 -> a = java.util.Arrays.copyOf(a, a.length == 0 ? 0 : r.nextInt(a.length));
                case 1 -> {
                    for (int k = 0; k < 1 + r.nextInt(4) && a.length > 0; k++) a[r.nextInt(a.length)] = (byte) r.nextInt(256);
                }
                default -> {
                    byte[] b = seeds.get(r.nextInt(seeds.size()));
                    int cut = a.length == 0 ? 0 : r.nextInt(a.length);
                    byte[] c = java.util.Arrays.copyOf(a, cut + b.length - Math.min(b.length, cut));
                    System.arraycopy(b, Math.min(b.length, cut), c, cut, b.length - Math.min(b.length, cut));
                    a = c;
                }
            }
            target(t).accept(a);
        }
        assertTrue(runs > 0);
    }

    static Stream<String> targets() {
        return TARGETS.stream();
    }
}
