package org.emergence.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;

/** The serializer of {@link ValidityVerdicts}: the one place that knows the keys of validity.json. */
final class ValidityJson {
    static final String RESOURCE = "validity.json";
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ValidityJson() {}

    static ValidityVerdicts read(InputStream in) throws IOException {
        return JSON.readValue(in, ValidityVerdicts.class);
    }

    static String write(ValidityVerdicts v) throws JsonProcessingException {
        return JSON.writeValueAsString(v) + "\n";
    }

    /** The verdicts shipped with this build, or null when the resource is absent or unreadable (the report then has no box). */
    static ValidityVerdicts load() {
        try (InputStream in = ValidityJson.class.getResourceAsStream(RESOURCE)) {
            return in == null ? null : read(in);
        } catch (IOException e) {
            return null;
        }
    }
}
