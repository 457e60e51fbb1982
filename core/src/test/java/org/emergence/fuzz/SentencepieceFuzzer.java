package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#sentencepiece}; run by .ci/fuzz. */
public final class SentencepieceFuzzer {
    private SentencepieceFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.sentencepiece(data);
    }
}
