package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#onnx}; run by .ci/fuzz. */
public final class OnnxFuzzer {
    private OnnxFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.onnx(data);
    }
}
