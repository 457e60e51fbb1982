package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.HashSet;
import java.util.Set;
import org.emergence.common.JsonFiles;
import org.emergence.common.UserError;

/**
 * Typed, tolerant reads of one JSON document's fields for {@link RunSummaryJson}: null or absent is "not given"
 * (null, NaN), anything of the wrong kind is a {@link UserError} naming the source and the field.
 */
final class JsonReads {
    private final String source;

    JsonReads(String source) {
        this.source = source;
    }

    UserError bad(String what) {
        return new UserError(source + ": " + what);
    }

    boolean has(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        return n != null && !n.isNull();
    }

    JsonNode required(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) throw bad("missing required field \"" + name + "\"");
        return n;
    }

    /** An array of distinct non-negative integers. */
    int[] intArray(JsonNode n, String name) {
        if (!n.isArray()) throw bad("\"" + name + "\" must be an array of integers, found " + kind(n));
        int[] out = new int[n.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < out.length; i++) {
            JsonNode x = n.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToInt() || x.asInt() < 0) {
                throw bad("\"" + name + "\"[" + i + "] must be a non-negative integer, found " + kind(x));
            }
            out[i] = x.asInt();
            if (!seen.add(out[i])) throw bad("\"" + name + "\" lists " + out[i] + " twice");
        }
        return out;
    }

    /** An array of true/false (null entries false), or null when absent. */
    boolean[] booleans(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw bad("\"" + name + "\" must be an array of true/false, found " + kind(n));
        boolean[] out = new boolean[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = n.get(i);
            if (!x.isNull() && !x.isBoolean()) throw bad("\"" + name + "\"[" + i + "] must be true or false, found " + kind(x));
            out[i] = x.asBoolean(false);
        }
        return out;
    }

    /** An array of strings (null entries null), or null when absent. */
    String[] texts(JsonNode obj, String name) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw bad("\"" + name + "\" must be an array of strings, found " + kind(n));
        String[] out = new String[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = n.get(i);
            if (x.isNull()) continue;
            if (!x.isTextual()) throw bad("\"" + name + "\"[" + i + "] must be a string or null, found " + kind(x));
            out[i] = x.asText();
        }
        return out;
    }

    /** An array of numbers (null entries NaN), or null when absent. */
    double[] doubles(JsonNode obj, String name, String path) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isArray()) throw bad("\"" + path + "\" must be an array of numbers, found " + kind(n));
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = number(n.get(i), path + "[" + i + "]");
        return out;
    }

    String text(JsonNode obj, String name, String path) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isValueNode()) throw bad("\"" + path + "\" must be a string, found " + kind(n));
        return n.asText();
    }

    Integer integer(JsonNode obj, String name, String path) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isIntegralNumber()) throw bad("\"" + path + "\" must be an integer, found " + kind(n));
        return n.canConvertToInt() ? n.asInt() : Integer.MAX_VALUE;
    }

    Boolean bool(JsonNode obj, String name, String path) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isBoolean()) throw bad("\"" + path + "\" must be true or false, found " + kind(n));
        return n.asBoolean();
    }

    JsonNode object(JsonNode obj, String name, String path) {
        JsonNode n = obj.get(name);
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw bad("\"" + path + "\" must be an object, found " + kind(n));
        return n;
    }

    /** {@code obj.name}: a number, null/absent (NaN) or one of the strings NaN/Infinity/-Infinity. */
    double number(JsonNode obj, String name, String path) {
        return number(obj.get(name), path + "." + name);
    }

    double number(JsonNode n, String path) {
        if (n == null || n.isNull()) return Double.NaN;
        if (n.isNumber()) return n.doubleValue();
        if (n.isTextual()) {
            switch (n.asText().strip().toLowerCase(java.util.Locale.ROOT)) {
                case "nan": return Double.NaN;
                case "infinity": case "+infinity": case "inf": case "+inf": return Double.POSITIVE_INFINITY;
                case "-infinity": case "-inf": return Double.NEGATIVE_INFINITY;
                default: break;
            }
        }
        throw bad("\"" + path + "\" must be a number or null, found " + kind(n));
    }

    static String kind(JsonNode n) {
        if (n == null || n instanceof NullNode) return "null";
        if (n.isObject()) return "an object";
        if (n.isArray()) return "an array";
        if (n.isTextual()) {
            String s = n.asText();
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : JsonFiles.oneLine(s)) + "\"";
        }
        return n.toString();
    }
}
