package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;
import org.emergence.common.JsonFiles;
import org.emergence.common.UserError;
import org.emergence.mi.Estimate;
import org.emergence.mi.Estimates;

/**
 * One finished estimate of a run as its directory keeps it, {@code est/{level}_l{layer}_t{position}.json}: the cell
 * (level, block, position), the mode of the estimator that computed it ({@link MiPolicy}) and the estimate itself. The
 * file is {@link #toJson}: the cell and mode, then {@link Estimates#toMap}; {@link #of} reads it back, so the run's
 * writer and every reader (resume, the summary, results.csv, the untrained twins, {@code --noise-reference}, the
 * validity checks) share this one type instead of looking fields up by name.
 *
 * @param layer    the block l (the MI between its input h^l and output h^(l+1))
 * @param position the token position t
 * @param mode     what the estimate means ({@link MiPolicy#mode}): "continuous", "mixture …", …
 */
public record EstimateFile(Level level, int layer, int position, String mode, Estimate estimate) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public EstimateFile {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(estimate, "estimate");
    }

    /** The file's name in est/. */
    public String fileName() {
        return fileName(level, layer, position);
    }

    /** The name in est/ of a cell's estimate: {@code macro_l003_t0017.json}. */
    public static String fileName(Level level, int layer, int position) {
        return String.format("%s_l%03d_t%04d.json", level.key(), layer, position);
    }

    /** The persisted form: where and how, then {@link Estimates#toMap}. */
    public ObjectNode toJson() {
        ObjectNode j = JSON.createObjectNode();
        j.put("level", level.key());
        j.put("layer", layer);
        j.put("position", position);
        j.put("mode", mode);
        j.setAll((ObjectNode) JSON.valueToTree(Estimates.toMap(estimate)));
        return j;
    }

    /**
     * An estimate file's content read back.
     *
     * @throws Malformed saying what is wrong (not an object, no cell, a value missing or not finite …)
     */
    public static EstimateFile of(JsonNode j) throws Malformed {
        if (j == null || !j.isObject()) throw new Malformed("not a JSON object");
        Level level = null;
        for (Level l : new Level[] {Level.MACRO, Level.MICRO}) if (l.key().equals(j.path("level").asText())) level = l;
        if (level == null || !j.path("layer").canConvertToInt() || !j.path("position").canConvertToInt()
                || !j.path("layer").isIntegralNumber() || !j.path("position").isIntegralNumber()) {
            throw new Malformed("names no cell (level macro or micro, an integer layer and position)");
        }
        try {
            return new EstimateFile(level, j.get("layer").asInt(), j.get("position").asInt(), j.path("mode").asText(""),
                    Estimates.fromJson(j));
        } catch (IllegalArgumentException e) {
            throw new Malformed(e.getMessage());
        }
    }

    /** An estimate file read from disk; anything unreadable or malformed is one {@link UserError} naming it. */
    public static EstimateFile read(Path file) {
        try {
            return of(JsonFiles.readTree(file, JSON));
        } catch (Malformed e) {
            throw new UserError(file + ": not an estimate file of this tool (" + e.getMessage() + ")");
        }
    }

    /** An estimate file that does not hold what this tool writes; the message says what is wrong with it. */
    public static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String why) {
            super(why);
        }
    }
}
