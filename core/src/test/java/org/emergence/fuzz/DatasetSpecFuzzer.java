package org.emergence.fuzz;

/** Jazzer entry point (libFuzzer style) for {@link ParserFuzzTargets#datasetSpec}; run by .ci/fuzz. */
public final class DatasetSpecFuzzer {
    private DatasetSpecFuzzer() {}

    public static void fuzzerTestOneInput(byte[] data) {
        ParserFuzzTargets.datasetSpec(data);
    }
}
