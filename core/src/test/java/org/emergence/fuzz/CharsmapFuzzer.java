package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#charsmap}; run by .ci/fuzz. */
public final class CharsmapFuzzer {
    private CharsmapFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.charsmap(data);
    }
}
