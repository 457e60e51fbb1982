package org.emergence.model;

import org.emergence.common.UserError;

/** What a batch must satisfy before any forward pass: ids in the vocabulary, positions and token types the model has. */
final class BatchChecks {
    private BatchChecks() {}

    /** Checks ids, positions and token types of a batch against a model configuration; one-line errors naming row and position. */
    static void validate(ModelConfig cfg, TokenBatch b, String source) {
        String src = source == null ? "" : source + ": ";
        if (b.length() < 1) throw new UserError(src + "empty sequences");
        if (b.length() > cfg.maxPositions()) {
            throw new UserError(src + "sequences of " + b.length() + " tokens are longer than the model's "
                    + cfg.maxPositions() + " positions");
        }
        int[] ids = b.ids();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= cfg.vocab()) {
                throw new UserError(src + "token id " + ids[i] + " at row " + i / b.length() + ", position "
                        + i % b.length() + " is outside the vocabulary [0, " + cfg.vocab() + ")");
            }
        }
        int[] pos = b.positions();
        if (cfg.rope() != null) {
            for (int p : pos) {
                if (p >= Rope.MAX_TABLE_POSITIONS) {
                    throw new UserError(src + "position " + p + ": rotary positions beyond " + Rope.MAX_TABLE_POSITIONS + " are not supported");
                }
            }
        }
        for (int i = 0; i < pos.length; i++) {
            if (pos[i] < 0 || pos[i] >= cfg.maxPositions()) {
                throw new UserError(src + "position id " + pos[i] + " at row " + i / b.length()
                        + " is outside the model's " + cfg.maxPositions() + " positions");
            }
        }
        if (b.tokenTypes() != null) {
            int nt = Math.max(cfg.typeVocab(), 1);
            for (int i = 0; i < b.tokenTypes().length; i++) {
                int t = b.tokenTypes()[i];
                if (t < 0 || t >= nt) {
                    throw new UserError("--token-type-ids: token type id " + t + " at row " + i / b.length() + ", position "
                            + i % b.length() + " is outside [0, " + nt + ")");
                }
            }
        }
    }
}
