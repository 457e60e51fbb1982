package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#refs}; run by .ci/fuzz. */
public final class RefsFuzzer {
    private RefsFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.refs(data);
    }
}
