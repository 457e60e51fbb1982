package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#tokenizer}; run by .ci/fuzz. */
public final class TokenizerFuzzer {
    private TokenizerFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.tokenizer(data);
    }
}
