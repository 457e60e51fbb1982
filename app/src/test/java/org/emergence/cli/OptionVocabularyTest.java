package org.emergence.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.emergence.Cli;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One option vocabulary across run, validate, study and capture: an option two of them share has one name, one form
 * (parameter label, arity, type), one default and one description — except where a difference is the point, listed
 * here with its reason. Old spellings are hidden aliases that still work and print a note.
 */
class OptionVocabularyTest {
    static final List<String> COMMANDS = List.of("run", "validate", "study", "capture");

    /** Options whose default or description differs between commands on purpose. */
    static final Map<String, String> DIFFERENT_MEANING = Map.of(
            "--n", "validate and study take N per condition (1000) and run many conditions; run's default is 2000",
            "--model", "study's default depends on its kind and it repeats --model for a models study",
            "--dataset", "validate's is the in-context condition, a study's that of models/ablations; capture's has no default of its own",
            "--out", "a run directory, a validate or study directory, or a capture directory",
            "--t", "validate and study window text (8 text tokens plus the special tokens by default); run and capture take the dataset's length",
            "--replicates", "validate draws the ICL condition again for interval calibration; a study draws every condition again");

    static Map<String, OptionSpec> options(String command) {
        CommandLine cl = new CommandLine(new Main());
        Map<String, OptionSpec> out = new LinkedHashMap<>();
        for (OptionSpec o : cl.getSubcommands().get(command).getCommandSpec().options()) {
            if (!o.hidden()) out.put(o.longestName(), o);
        }
        return out;
    }

    @Test
    void sharedOptionsHaveOneNameFormDefaultAndDescription() {
        Map<String, Map<String, OptionSpec>> all = new LinkedHashMap<>();
        for (String c : COMMANDS) all.put(c, options(c));
        List<String> problems = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>();
        all.values().forEach(m -> names.addAll(m.keySet()));
        for (String name : names) {
            OptionSpec first = null;
            String firstCmd = null;
            for (String c : COMMANDS) {
                OptionSpec o = all.get(c).get(name);
                if (o == null) continue;
                if (first == null) {
                    first = o;
                    firstCmd = c;
                    continue;
                }
                String where = name + " in " + firstCmd + " and " + c;
                boolean multi = o.isMultiValue() || first.isMultiValue();
                if (!name.equals("--model") || !multi) {
                    if (!o.paramLabel().equals(first.paramLabel()) && !name.equals("--out")) problems.add(where + ": labels " + first.paramLabel() + " vs " + o.paramLabel());
                    if (!o.arity().equals(first.arity())) problems.add(where + ": arity " + first.arity() + " vs " + o.arity());
                    if (o.type() != first.type() && !(boxed(o.type()) == boxed(first.type()))) {
                        problems.add(where + ": types " + first.type().getSimpleName() + " vs " + o.type().getSimpleName());
                    }
                }
                if (DIFFERENT_MEANING.containsKey(name)) continue;
                if (!String.valueOf(o.defaultValue()).equals(String.valueOf(first.defaultValue()))) {
                    problems.add(where + ": defaults " + first.defaultValue() + " vs " + o.defaultValue());
                }
                if (!String.join(" ", o.description()).equals(String.join(" ", first.description()))) {
                    problems.add(where + ": descriptions differ:\n  " + String.join(" ", first.description()) + "\n  "
                            + String.join(" ", o.description()));
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static Class<?> boxed(Class<?> c) {
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == boolean.class) return Boolean.class;
        if (c == double.class) return Double.class;
        return c;
    }

    @Test
    void theIssuesDifferencesAreGone() {
        Map<String, OptionSpec> capture = options("capture"), run = options("run"), validate = options("validate"), study = options("study");
        // --special-tokens: auto|yes|no everywhere (a bare --special-tokens in capture still means yes)
        assertEquals("auto|yes|no", capture.get("--special-tokens").paramLabel());
        assertEquals("auto", capture.get("--special-tokens").defaultValue());
        // --batch: 256 everywhere
        for (var m : List.of(run, validate, study, capture)) assertEquals("256", m.get("--batch").defaultValue());
        // --t in every command; --text-tokens and capture's --positions are hidden old spellings
        for (var m : List.of(run, validate, study, capture)) assertTrue(m.containsKey("--t"));
        assertFalse(validate.containsKey("--text-tokens") || study.containsKey("--text-tokens") || capture.containsKey("--positions"));
        assertTrue(capture.containsKey("--keep-positions"));
        // --threads says what its default is
        String threads = String.join(" ", run.get("--threads").description());
        assertTrue(threads.contains("all available processors") && !threads.contains(", 0)"), threads);
        String help = Cli.run("run", "--help").out();
        assertFalse(help.contains("available processors, 0"), help);
    }

    @Test
    void oldSpellingsStillWorkWithANote() {
        // --text-tokens K counted text tokens only; --t T counts the special tokens, as run's --t does
        Vocabulary.Notes notes = new Vocabulary.Notes();
        assertEquals(4, TextLength.textTokens("tinylm", "auto", null, 4, notes));
        java.io.StringWriter w = new java.io.StringWriter();
        notes.print(new java.io.PrintWriter(w, true));
        assertTrue(w.toString().contains("note: --text-tokens K (special tokens not counted) is the old spelling of --t T"), w.toString());
        assertEquals(6, TextLength.textTokens("tinylm", "auto", 6, null, new Vocabulary.Notes()), "a decoder's windows have no specials");
        assertEquals(8, TextLength.textTokens("minilm", "auto", 10, null, new Vocabulary.Notes()), "[CLS] and [SEP] are counted in T");
        assertEquals(TextLength.DEFAULT_TEXT_TOKENS, TextLength.textTokens("minilm", "auto", null, null, new Vocabulary.Notes()));
        // a command that fails prints its one error line only, the note not
        Cli.run("validate", "--model", "tinylm", "--text-tokens", "1", "--out", "target/never").assertUserError("--text-tokens must be at least 2");
        Cli.run("study", "texts", "--model", "tinylm", "--t", "6", "--text-tokens", "4", "--out", "target/never")
                .assertUserError("give --t or its old spelling --text-tokens, not both");
        Cli.run("validate", "--model", "minilm", "--t", "3", "--out", "target/never")
                .assertUserError("--t 3: a text sequence needs at least 2 text tokens besides the model's 2 special tokens");
    }
}
