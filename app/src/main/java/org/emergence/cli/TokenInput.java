package org.emergence.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.common.UserError;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;
import org.emergence.model.TokenBatch;
import org.emergence.tokenize.Tokenizer;

/** Reads token ids for capture: an [B, T] int .npy, or a text file with one sequence per line. */
final class TokenInput {
    private TokenInput() {}

    static TokenBatch fromNpy(Path file) {
        NpyHeader h = Npy.header(file);
        if (h.dtype().isFloat()) throw new UserError(file + ": token ids must be int32 or int64, found " + h.dtype().numpyName);
        if (h.rank() != 2) throw new UserError(file + ": token ids must have shape [B, T], found " + h.shapeString());
        if (h.dim(0) < 1 || h.dim(1) < 1) throw new UserError(file + ": empty token id array " + h.shapeString());
        long[] v = Npy.readLongs(file, h);
        int[] ids = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < Integer.MIN_VALUE || v[i] > Integer.MAX_VALUE) {
                throw new UserError(file + ": token id " + v[i] + " at row " + i / h.dim(1) + " is out of range");
            }
            ids[i] = (int) v[i];
        }
        return TokenBatch.of((int) h.dim(0), (int) h.dim(1), ids);
    }

    /** Token type ids [B, T] for BERT. */
    static int[] tokenTypes(Path file, TokenBatch b) {
        NpyHeader h = Npy.header(file);
        if (h.dtype().isFloat()) throw new UserError(file + ": token type ids must be int32 or int64");
        if (h.rank() != 2 || h.dim(0) != b.batch() || h.dim(1) != b.length()) {
            throw new UserError(file + ": token type ids have shape " + h.shapeString() + ", expected [" + b.batch()
                    + ", " + b.length() + "]");
        }
        long[] v = Npy.readLongs(file, h);
        int[] t = new int[v.length];
        for (int i = 0; i < v.length; i++) t[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v[i]));
        return t;
    }

    static TokenBatch fromText(Path file, Tokenizer tok, boolean specialTokens) {
        return fromText(file, tok, specialTokens, 0, false);
    }

    /**
     * One sequence per line. {@code maxTokens} > 0 refuses a line with more tokens (naming it).
     * Without {@code pad} every line must have the same token count; with it shorter lines are
     * padded at the end with id 0 and the batch carries an attention mask (1 = real token).
     */
    static TokenBatch fromText(Path file, Tokenizer tok, boolean specialTokens, int maxTokens, boolean pad) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new UserError(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (lines.isEmpty()) throw new UserError(file + ": empty file (expected one sequence per line)");
        int[][] rows = new int[lines.size()][];
        int longest = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) throw new UserError(file + ": line " + (i + 1) + " is empty");
            rows[i] = tok.encode(line, specialTokens);
            if (rows[i].length == 0) throw new UserError(file + ": line " + (i + 1) + " has no tokens");
            if (maxTokens > 0 && rows[i].length > maxTokens) {
                throw new UserError(file + ": line " + (i + 1) + " has " + rows[i].length + " tokens, more than the model's "
                        + maxTokens + " positions");
            }
            if (!pad && rows[i].length != rows[0].length) {
                throw new UserError(file + ": line " + (i + 1) + " has " + rows[i].length + " tokens but line 1 has "
                        + rows[0].length + " (all sequences must have the same token count, or use --pad)");
            }
            longest = Math.max(longest, rows[i].length);
        }
        if (!pad) return TokenBatch.of(rows);
        int b = rows.length;
        int[] ids = new int[b * longest], mask = new int[b * longest];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, ids, i * longest, rows[i].length);
            java.util.Arrays.fill(mask, i * longest, i * longest + rows[i].length, 1);
        }
        return new TokenBatch(b, longest, ids, null, null, mask);
    }
}
