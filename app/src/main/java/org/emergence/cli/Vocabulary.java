package org.emergence.cli;

import java.io.PrintWriter;

/**
 * The one option vocabulary of run, validate, study and capture: an option that two commands share has the same
 * name, form, default and description (checked by OptionVocabularyTest). Old spellings stay as hidden aliases that
 * print a note naming the new one.
 */
final class Vocabulary {
    private Vocabulary() {}

    static final String MODEL_LABEL = "DIR|NAME|ID[@REV]";
    static final String MODEL = org.emergence.model.ModelSources.DESCRIPTION;
    static final String REVISION = "Revision of a hub-cache repo id: a branch or tag under refs/, or a commit (default main).";
    static final String DATASET = "icl:<category>[:shots=K][:sep=\", \"], text:<file>[:field=NAME], random[:var=0.81], ids:<file.npy>";
    static final String T = "Tokens per sequence, special tokens included (default: the dataset's own length; 8 for random).";
    static final String TEXT_T = "Tokens per text sequence, special tokens included (default: 8 text tokens, the paper's windows, plus "
            + "the model's special tokens).";
    static final String LAYERS = "Blocks, e.g. 0,3,5-7 (default: all).";
    static final String TEXT_SCALE = "Noise scale of the text conditions: shared = one layer RMS for all of them (validate: the natural "
            + "text run's; study texts: the first source's natural text run's), so texts are compared at one resolution per layer of "
            + "the model; own = each condition its own (default ${DEFAULT-VALUE}).";
    static final String BATCH_DEFAULT = "256";
    static final String BATCH = "Sequences per forward pass (default ${DEFAULT-VALUE}).";
    static final String SPECIAL_TOKENS = "Wrap sequences in the special tokens the model's tokenizer adds around a text; auto = as the "
            + "model was trained ([CLS] … [SEP] for BERT, a BOS for Llama, Gemma, Mistral, none for GPT-2); a bare --special-tokens "
            + "is yes (default ${DEFAULT-VALUE}).";
    static final String MICRO_POSITION = "Position id of a token fed alone: its original position (default) or 0.";
    static final String MICRO_SPECIALS = "Feed a lone token between the tokenizer's special tokens ([CLS] x [SEP]); auto = when the "
            + "sequences carry them (default ${DEFAULT-VALUE}).";
    static final String SEED = "Seed for the dataset, noise and estimators (default ${DEFAULT-VALUE}).";
    static final String THREADS = "Threads for GEMM and kernels (default: all available processors).";

    /**
     * The notes old spellings earn, printed on stderr when the command has done its work: a command that fails prints
     * its one error line only.
     */
    static final class Notes {
        private final java.util.List<String> lines = new java.util.ArrayList<>();

        void oldSpelling(boolean used, String old, String now) {
            if (used) lines.add("emergence: note: " + old + " is the old spelling of " + now + "; it still works");
        }

        void print(PrintWriter err) {
            lines.forEach(err::println);
        }
    }
}
