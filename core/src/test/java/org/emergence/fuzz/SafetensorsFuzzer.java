package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#safetensors}; run by .ci/fuzz. */
public final class SafetensorsFuzzer {
    private SafetensorsFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.safetensors(data);
    }
}
