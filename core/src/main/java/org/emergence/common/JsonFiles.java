package org.emergence.common;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reading JSON files the user gives or the tool wrote, with one-line errors that name the file and
 * the place: "config.json: not valid JSON: Unexpected character ('}') (line 3, column 1)" rather than
 * Jackson's multi-line messages with their source descriptions.
 */
public final class JsonFiles {
    private JsonFiles() {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The file's JSON tree (must be an object). */
    public static JsonNode readObject(Path file) {
        JsonNode n = readTree(file, JSON);
        if (!n.isObject()) throw new UserError(file + ": not a JSON object");
        return n;
    }

    /** The file's JSON tree as {@code mapper} parses it (any JSON value; an empty or blank file is refused). */
    public static JsonNode readTree(Path file, ObjectMapper mapper) {
        JsonNode n;
        try {
            byte[] bytes = SmallFiles.read(file, "JSON file");
            if (bytes.length == 0) throw new UserError(file + ": empty file (expected a JSON object)");
            n = mapper.readTree(bytes);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new UserError(file + ": permission denied");
        } catch (JacksonException e) {
            throw new UserError(file + ": not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (n == null || n.isMissingNode()) throw new UserError(file + ": empty file (expected a JSON object)");
        return n;
    }

    /** Writes a tree as indented JSON with a final newline, atomically (the campaign files: validate.json, study.json). */
    public static void writeIndented(Path file, JsonNode tree) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        AtomicFiles.writeString(file, INDENTED.writeValueAsString(tree) + "\n");
    }

    /** Puts a number, or null when it is not finite (JSON has no NaN or infinity). */
    public static void putFinite(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    /** A number as written by {@link #putFinite}: NaN for null or a missing field. */
    public static double number(JsonNode v) {
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    /** A parser error in one line: the message without Jackson's source description, and the line and column. */
    public static String describe(JacksonException e) {
        String msg = oneLine(String.valueOf(e.getOriginalMessage()));
        JsonLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) msg += " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        return msg;
    }

    /** Collapses line breaks and caps the length of a message quoted from a library. */
    public static String oneLine(String s) {
        String t = s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    /** One line for an I/O failure reading a text file: not UTF-8, missing, or the system's reason. */
    public static UserError textReadError(Path file, IOException e) {
        if (e instanceof CharacterCodingException) {
            return new UserError(file + ": not UTF-8 text (convert it, e.g. iconv -f latin1 -t utf-8)");
        }
        if (e instanceof NoSuchFileException) return new UserError(file + ": no such file");
        if (e instanceof AccessDeniedException) return new UserError(file + ": permission denied");
        return new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
    }
}
