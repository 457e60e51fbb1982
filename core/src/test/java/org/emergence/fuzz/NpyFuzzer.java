package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#npy}; run by .ci/fuzz. */
public final class NpyFuzzer {
    private NpyFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.npy(data);
    }
}
