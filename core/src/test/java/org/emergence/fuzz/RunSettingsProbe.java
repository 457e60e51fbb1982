package org.emergence.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import org.emergence.ie.Measurement;
import org.emergence.ie.RunSettings;

/** A run's settings compared with a stored settings.json, as a resumed run does. */
final class RunSettingsProbe {
    private RunSettingsProbe() {}

    private static final RunSettings S = new RunSettings("minilm", "bert", "icl:animal", true, 100, 18, new int[] {0, 1, 2}, 0,
            "none", new Measurement("mixture", 1, Measurement.NoiseScale.LAYER, "original", true, Measurement.Pairing.MATCHED,
                    Measurement.Positions.ALL, 20, 0.05), java.util.Map.of(), "fuzz");

    static void compare(JsonNode stored) {
        S.firstDifference(stored);
    }
}
