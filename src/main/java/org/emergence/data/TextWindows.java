package org.emergence.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.common.UserError;
import org.emergence.tokenize.Tokenizer;

/**
 * Natural-sentence windows, as the paper sampled them: windows of T tokens that start right after a
 * sentence-ending period and whose text contains no ':', '?', ';', '-' or newline. Windows do not
 * overlap. Documents are paragraphs (separated by blank lines) of a plain-text file, or one field of
 * each line of a JSONL file ({@code :field=NAME}, default "text").
 */
public final class TextWindows {
    private TextWindows() {}

    private static final String FORBIDDEN = ":?;-\n\r";

    static Dataset build(DatasetSpec spec, Tokenizer tok, int n, int t) {
        spec.allow("field");
        if (t < 1) throw new UserError("--dataset " + spec.spec() + ": needs --t (tokens per window)");
        Path file = Path.of(spec.argument());
        boolean jsonl = spec.argument().endsWith(".jsonl") || spec.argument().endsWith(".json") || spec.options().containsKey("field");
        String field = spec.option("field", "text");
        List<String> docs = jsonl ? jsonl(file, field) : paragraphs(file);
        if (docs.isEmpty()) throw new UserError(file + ": no text (empty file)");
        int[] ids = new int[n * t];
        int kept = 0, read = 0;
        long candidates = 0;
        for (String doc : docs) {
            if (kept == n) break;
            read++;
            Tokenizer.Spanned s = tok.encodeWithSpans(doc);
            int len = s.ids().length;
            int j = 1;
            while (j + t <= len && kept < n) {
                if (!afterPeriod(doc, s, j)) {
                    j++;
                    continue;
                }
                candidates++;
                if (clean(doc, s, j, j + t)) {
                    System.arraycopy(s.ids(), j, ids, kept * t, t);
                    kept++;
                    j += t;
                } else {
                    j++;
                }
            }
        }
        if (kept < n) {
            throw new UserError("--dataset " + spec.spec() + ": only " + kept + " windows of " + t + " tokens in " + read
                    + " documents (need --n " + n + "); lower --n or --t, or add text");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", file.toString());
        details.put("format", jsonl ? "jsonl field " + field : "plain text paragraphs");
        details.put("documents_total", docs.size());
        details.put("documents_read", read);
        details.put("windows_kept", kept);
        details.put("window_starts_after_period", candidates);
        String desc = "natural-text windows of " + t + " tokens starting after a period, without : ? ; - or newlines ("
                + kept + " windows from " + read + " documents of " + file.getFileName() + ")";
        return new Dataset(spec.spec(), "text", desc, n, t, ids, 0, details);
    }

    /** The token before j ends a sentence. */
    private static boolean afterPeriod(String doc, Tokenizer.Spanned s, int j) {
        int a = s.starts()[j - 1], b = s.ends()[j - 1];
        if (a < 0 || b <= a) return false;
        String prev = doc.substring(a, b).strip();
        return prev.endsWith(".");
    }

    /** The window's text (first token start to last token end) has no forbidden character. */
    private static boolean clean(String doc, Tokenizer.Spanned s, int from, int to) {
        int a = s.starts()[from], b = s.ends()[to - 1];
        if (a < 0 || b < a) return false;
        for (int i = a; i < b; i++) if (FORBIDDEN.indexOf(doc.charAt(i)) >= 0) return false;
        for (int k = from; k < to; k++) if (s.starts()[k] < 0) return false;
        return true;
    }

    private static List<String> paragraphs(Path file) {
        String text = read(file);
        List<String> out = new ArrayList<>();
        for (String p : text.split("\\r?\\n\\s*\\r?\\n")) if (!p.isBlank()) out.add(p.strip());
        return out;
    }

    private static List<String> jsonl(Path file, String field) {
        List<String> out = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = om.readTree(line);
                } catch (IOException e) {
                    throw new UserError(file + ": line " + no + " is not valid JSON");
                }
                JsonNode v = node == null ? null : node.get(field);
                if (v == null || !v.isTextual()) throw new UserError(file + ": line " + no + " has no text field '" + field + "'");
                out.add(v.asText());
            }
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
