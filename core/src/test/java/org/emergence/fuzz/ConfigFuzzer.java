package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#config}; run by .ci/fuzz. */
public final class ConfigFuzzer {
    private ConfigFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.config(data);
    }
}
