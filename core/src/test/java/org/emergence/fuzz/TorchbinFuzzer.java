package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#torchbin}; run by .ci/fuzz. */
public final class TorchbinFuzzer {
    private TorchbinFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.torchbin(data);
    }
}
