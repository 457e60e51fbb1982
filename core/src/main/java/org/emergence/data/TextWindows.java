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
 * sentence-ending period (or CJK full stop) and whose text contains no ':', '?', ';', '-' or newline. Documents are
 * paragraphs (separated by blank lines) of a plain-text file, or one field of each line of a JSONL
 * file ({@code :field=NAME}, default "text"); {@code text:builtin} is the project's own held-out text
 * (public-domain King James Bible and Devil's Dictionary passages and BSD fortune-mod quotations that
 * the built-in tinylm models never saw in training).
 *
 * <p>Candidate windows do not overlap within a document (after a kept window the search resumes at its
 * end). N of them are drawn at random with the seed ({@code :pick=random}, the default, so that a new
 * seed is a fresh draw of the dataset), or the first N in file order ({@code :pick=first}); at most
 * {@value #MAX_CANDIDATES} candidates (or 20·N if more) are collected, in file order.
 *
 * <p>{@code :shift=K} moves every window K tokens later (its span of T + K tokens after the period must
 * be clean); {@code :lookahead=K} selects exactly the windows that {@code shift=K} would, without moving
 * them — so {@code lookahead=1} and {@code shift=1} with one seed are the same windows, one token apart.
 */
public final class TextWindows {
    private TextWindows() {}

    private static final String FORBIDDEN = ":?;-\n\r\uff1a\uff1f\uff1b";
    static final int MAX_CANDIDATES = 200_000;
    /** The held-out text shipped with the tool (see tools/train-tiny-lm/README.md). */
    public static final String BUILTIN = "builtin";
    static final String BUILTIN_RESOURCE = "builtin-text.jsonl";

    /** {@code text:sampled}: documents the model writes itself (see the generate package), made on demand. */
    public static final String SAMPLED = "sampled";

    /** What {@code text:sampled} needs to know while it writes documents: whether it has written enough. */
    public interface WindowCount {
        /** Windows of the dataset's T (after its shift) that these documents hold. */
        int found(List<String> docs);

        /** N, the windows the dataset needs. */
        int wanted();
    }

    /** Documents made for a dataset spec, until a count of their windows says they suffice. */
    @FunctionalInterface
    public interface DocumentSource {
        List<String> documents(DatasetSpec spec, WindowCount windows);
    }

    static Dataset build(DatasetSpec spec, Tokenizer tok, int n, int t, long seed) {
        return build(spec, tok, n, t, seed, null);
    }

    static Dataset build(DatasetSpec spec, Tokenizer tok, int n, int t, long seed, DocumentSource sampled) {
        boolean isSampled = spec.argument().equals(SAMPLED);
        if (isSampled) spec.allow("pick", "shift", "lookahead", "length", "temperature", "top_k", "docs");
        else spec.allow("field", "pick", "shift", "lookahead");
        if (t < 1) throw new UserError("--dataset " + spec.spec() + ": needs --t (tokens per window)");
        if ((long) n * t > Integer.MAX_VALUE - 8) throw new UserError("--n " + n + " × --t " + t + " token ids exceed 2^31; lower --n");
        boolean builtin = spec.argument().equals(BUILTIN);
        Path file = Path.of(spec.argument());
        boolean jsonl = builtin || spec.argument().endsWith(".jsonl") || spec.argument().endsWith(".json")
                || spec.options().containsKey("field");
        String field = spec.option("field", "text");
        String pick = spec.option("pick", "random");
        if (!pick.equals("random") && !pick.equals("first")) {
            throw new UserError("--dataset " + spec.spec() + ": pick must be random or first, found '" + pick + "'");
        }
        int shift = spec.intOption("shift", 0), look = spec.intOption("lookahead", 0);
        if (shift < 0 || look < 0) throw new UserError("--dataset " + spec.spec() + ": shift and lookahead must be >= 0");
        if (shift > 0 && look > 0) throw new UserError("--dataset " + spec.spec() + ": give shift or lookahead, not both");
        int extra = Math.max(shift, look);
        List<String> docs;
        if (isSampled) {
            if (sampled == null) throw new UserError("--dataset " + spec.spec() + ": text written by the model needs a causal language model with a head");
            docs = sampled.documents(spec, new WindowCount() {
                public int found(List<String> d) {
                    return new Scan(tok, t, extra, shift, Long.MAX_VALUE, Integer.MAX_VALUE).run(d).windows.size();
                }

                public int wanted() {
                    return n;
                }
            });
        } else {
            if (!builtin) checkTextFile(file, spec.spec());
            docs = pieces(builtin ? builtinDocs(field) : jsonl ? jsonl(file, field) : paragraphs(file));
        }
        if (docs.isEmpty()) throw new UserError((isSampled ? "text:sampled" : file) + ": no text (empty file)");
        long cap = Math.max(MAX_CANDIDATES, 20L * n);
        Scan scan = new Scan(tok, t, extra, shift, cap, pick.equals("first") ? n : Integer.MAX_VALUE).run(docs);
        List<int[]> windows = scan.windows;
        int read = scan.read;
        long starts = scan.starts;
        String source = builtin ? "the built-in held-out text" : isSampled ? "text written by the model" : file.getFileName().toString();
        if (windows.size() < n) {
            throw new UserError("--dataset " + spec.spec() + ": only " + windows.size() + " windows of " + t + " tokens in "
                    + read + " documents of " + source + " (need --n " + n + "); lower --n or --t, or "
                    + (isSampled ? "give text of the model's domain (validate --text text:FILE, run --dataset text:FILE)" : "add text"));
        }
        int[] order = new int[windows.size()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        if (pick.equals("random")) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(org.emergence.common.Seeds.mix(seed, 0x7E47));
            for (int i = 0; i < n; i++) {
                int k = i + r.nextInt(order.length - i);
                int tmp = order[i];
                order[i] = order[k];
                order[k] = tmp;
            }
        }
        int[] ids = new int[n * t];
        for (int i = 0; i < n; i++) System.arraycopy(windows.get(order[i]), 0, ids, i * t, t);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", builtin ? BUILTIN : isSampled ? SAMPLED : file.toString());
        details.put("format", isSampled ? "documents sampled from the model" : jsonl ? "jsonl field " + field : "plain text paragraphs");
        details.put("documents_total", docs.size());
        details.put("documents_read", read);
        details.put("window_starts_after_period", starts);
        details.put("windows_found", windows.size());
        details.put("windows_kept", n);
        details.put("pick", pick);
        if (shift > 0) details.put("shift", shift);
        if (look > 0) details.put("lookahead", look);
        String desc = "natural-text windows of " + t + " tokens starting " + (shift > 0 ? shift + " token(s) after" : "after")
                + " a period, without : ? ; - or newlines (" + n + " drawn " + (pick.equals("random") ? "at random " : "")
                + "from " + windows.size() + " windows in " + read + " documents of " + source + ")";
        return new Dataset(spec.spec(), "text", desc, n, t, ids, 0, details);
    }

    /** Longest piece of a document given to the tokenizer at once (a one-paragraph file of 64 MB peaked at 5 GB native memory). */
    static final int MAX_PIECE_CHARS = 1 << 16;

    /** The largest text file read: it is held in memory while windows are cut from it. */
    static long maxTextBytes() {
        return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);
    }

    /**
     * A text input must be a regular file (a FIFO would block for ever, a directory is not text) of a
     * size the run can hold: checked before reading, refused with one line.
     */
    static void checkTextFile(Path file, String spec) {
        if (Files.isDirectory(file)) throw new UserError("--dataset " + spec + ": " + file + " is a directory, not a text file");
        if (!Files.exists(file)) throw new UserError("--dataset " + spec + ": " + file + ": no such file");
        if (!Files.isRegularFile(file)) {
            throw new UserError("--dataset " + spec + ": " + file + " is not a regular file (a pipe or device); give a text file");
        }
        try {
            long size = Files.size(file), max = maxTextBytes();
            if (size > max) {
                throw new UserError("--dataset " + spec + ": " + file + " is " + (size >> 20) + " MB; text datasets read at most "
                        + (max >> 20) + " MB (an eighth of the " + (Runtime.getRuntime().maxMemory() >> 20) + " MB heap, at most 256 MB): "
                        + "use a part of it (head -c " + (max >> 20) + "M), which holds far more windows than a run needs");
            }
        } catch (java.io.IOException e) {
            throw org.emergence.common.JsonFiles.textReadError(file, e);
        }
    }

    /** Documents cut into pieces of at most MAX_PIECE_CHARS, after a sentence's period where there is one. */
    static List<String> pieces(List<String> docs) {
        List<String> out = new ArrayList<>(docs.size());
        for (String d : docs) {
            int from = 0;
            while (d.length() - from > MAX_PIECE_CHARS) {
                int cut = d.lastIndexOf(". ", from + MAX_PIECE_CHARS - 2);
                int end = cut > from ? cut + 1 : from + MAX_PIECE_CHARS;
                if (Character.isHighSurrogate(d.charAt(end - 1))) end--;
                out.add(d.substring(from, end));
                from = end;
            }
            out.add(from == 0 ? d : d.substring(from));
        }
        return out;
    }

    /** The non-overlapping windows of a list of documents, in document order, up to {@code cap} (or {@code stopAt}). */
    private static final class Scan {
        final Tokenizer tok;
        final int t, extra, shift, stopAt;
        final long cap;
        final List<int[]> windows = new ArrayList<>();
        int read;
        long starts;

        Scan(Tokenizer tok, int t, int extra, int shift, long cap, int stopAt) {
            this.tok = tok;
            this.t = t;
            this.extra = extra;
            this.shift = shift;
            this.cap = cap;
            this.stopAt = stopAt;
        }

        Scan run(List<String> docs) {
            for (String doc : docs) {
                if (windows.size() >= cap || windows.size() >= stopAt) break;
                read++;
                Tokenizer.Spanned s = tok.encodeWithSpans(doc);
                int len = s.ids().length;
                int j = 1;
                while (j + t + extra <= len && windows.size() < cap) {
                    if (!afterPeriod(doc, s, j)) {
                        j++;
                        continue;
                    }
                    starts++;
                    if (clean(doc, s, j, j + t + extra)) {
                        windows.add(java.util.Arrays.copyOfRange(s.ids(), j + shift, j + shift + t));
                        j += t + extra;
                    } else {
                        j++;
                    }
                }
            }
            return this;
        }
    }

    private static List<String> builtinDocs(String field) {
        try (java.io.InputStream in = TextWindows.class.getResourceAsStream(BUILTIN_RESOURCE)) {
            if (in == null) throw new UserError("text:builtin: the built-in text is missing from this build");
            return jsonl(new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8)), "text:builtin", field);
        } catch (IOException e) {
            throw new UserError("text:builtin: cannot read the built-in text (" + e.getMessage() + ")", e);
        }
    }

    /** The token before j ends a sentence. */
    private static boolean afterPeriod(String doc, Tokenizer.Spanned s, int j) {
        int a = s.starts()[j - 1], b = s.ends()[j - 1];
        if (a < 0 || b <= a) return false;
        String prev = doc.substring(a, b).strip();
        return prev.endsWith(".") || prev.endsWith("\u3002"); // or the CJK full stop
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
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return jsonl(r, file.toString(), field);
        } catch (IOException e) {
            throw org.emergence.common.JsonFiles.textReadError(file, e);
        }
    }

    private static List<String> jsonl(BufferedReader r, String file, String field) throws IOException {
        List<String> out = new ArrayList<>();
        ObjectMapper om = new ObjectMapper();
        String line;
        int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) continue;
                JsonNode node;
                try {
                    node = om.readTree(line);
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    throw new UserError(file + ": line " + no + " is not valid JSON: " + org.emergence.common.JsonFiles.describe(e));
                }
                JsonNode v = node == null ? null : node.get(field);
                if (v == null || !v.isTextual()) throw new UserError(file + ": line " + no + " has no text field '" + field + "'");
                out.add(v.asText());
            }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw org.emergence.common.JsonFiles.textReadError(file, e);
        }
    }
}
