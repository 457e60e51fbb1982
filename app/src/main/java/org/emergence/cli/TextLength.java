package org.emergence.cli;

import org.emergence.common.UserError;
import org.emergence.model.ModelSources;
import org.emergence.tokenize.Tokenizer;

/**
 * validate's and study's text windows: {@code --t T} counts the special tokens, as run's {@code --t} does; the
 * old {@code --text-tokens K} counted text tokens only. The campaigns take the text-token count, so T is turned
 * into it here (T = K + the special tokens the model's tokenizer adds: 2 for BERT, a BOS for Llama, none for GPT-2).
 */
final class TextLength {
    /** The paper's windows: 8 text tokens. */
    static final int DEFAULT_TEXT_TOKENS = 8;

    private TextLength() {}

    static int textTokens(String model, String specialTokens, Integer t, Integer old, Vocabulary.Notes notes) {
        notes.oldSpelling(old != null, "--text-tokens K (special tokens not counted)", "--t T (special tokens counted, as in run)");
        if (t != null && old != null) throw new UserError("give --t or its old spelling --text-tokens, not both");
        if (old != null) {
            if (old < 2) throw new UserError("--text-tokens must be at least 2, got " + old);
            return old;
        }
        if (t == null) return DEFAULT_TEXT_TOKENS;
        int specials = specials(model, specialTokens);
        if (t - specials < 2) {
            throw new UserError("--t " + t + ": a text sequence needs at least 2 text tokens besides the model's " + specials
                    + " special tokens");
        }
        return t - specials;
    }

    /** Special tokens around a text window: those the model's tokenizer adds ([CLS] … [SEP], a BOS; none for GPT-2), unless --special-tokens no. */
    static int specials(String model, String specialTokens) {
        if (specialTokens.equals("no")) return 0;
        try (Tokenizer tok = ModelSources.tokenizer(model)) {
            return tok.specials().count();
        }
    }
}
