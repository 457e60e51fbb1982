package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#settings}; run by .ci/fuzz. */
public final class SettingsFuzzer {
    private SettingsFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.settings(data);
    }
}
