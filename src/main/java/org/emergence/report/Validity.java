package org.emergence.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;

/**
 * The validity verdicts of the default measurement ({@code emergence validate} on the built-in models,
 * as docs/validity.md reports them), shipped as {@code org/emergence/report/validity.json} so that every
 * report states them at the top.
 */
final class Validity {
    private Validity() {}

    static JsonNode load() {
        try (InputStream in = Validity.class.getResourceAsStream("validity.json")) {
            return in == null ? null : new ObjectMapper().readTree(in);
        } catch (IOException e) {
            return null;
        }
    }
}
