package org.emergence.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emergence.common.UserError;

/**
 * Stable activation names, TransformerLens style. Shapes are per captured batch:
 * <ul>
 *   <li>{@code blocks.{l}.hook_resid_pre} — input of block l (for l = 0: the embeddings), [B, T, H]</li>
 *   <li>{@code blocks.{l}.hook_resid_post} — output of block l, [B, T, H]; equals hook_resid_pre of l + 1</li>
 *   <li>{@code ln_final.hook_normalized} — last block's output after the final norm, [B, T, H]
 *       (= Hugging Face's last hidden state for decoders)</li>
 *   <li>{@code logits} — [B, T, V]</li>
 *   <li>{@code pooler} — BERT pooler output tanh(W·h_0 + b), [B, 1, H]</li>
 * </ul>
 */
public final class Hooks {
    private Hooks() {}

    public static final String FINAL_NORM = "ln_final.hook_normalized";
    public static final String LOGITS = "logits";
    public static final String POOLER = "pooler";
    private static final Pattern BLOCK = Pattern.compile("blocks\\.(\\d+)\\.(hook_resid_pre|hook_resid_post)");

    public static String residPre(int layer) {
        return "blocks." + layer + ".hook_resid_pre";
    }

    public static String residPost(int layer) {
        return "blocks." + layer + ".hook_resid_post";
    }

    /** Parsed block hook: layer and whether it is the block output. */
    public record BlockHook(int layer, boolean post) {}

    /** Parses a block hook name, or returns null for the non-block hooks; unknown names are refused. */
    public static BlockHook parse(String name) {
        Matcher m = BLOCK.matcher(name);
        if (m.matches()) return new BlockHook(Integer.parseInt(m.group(1)), m.group(2).equals("hook_resid_post"));
        if (name.equals(FINAL_NORM) || name.equals(LOGITS) || name.equals(POOLER)) return null;
        throw new UserError("unknown hook '" + name + "' (known: blocks.{l}.hook_resid_pre, blocks.{l}.hook_resid_post, "
                + FINAL_NORM + ", " + LOGITS + ", " + POOLER + ")");
    }
}
