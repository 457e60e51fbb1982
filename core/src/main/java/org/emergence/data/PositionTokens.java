package org.emergence.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.emergence.tokenize.Tokenizer;

/**
 * The text of the token each position holds when it holds the same one in every sequence (separators, [CLS],
 * [SEP] …), for the report's axes and the tidy table's {@code token} column; null where the token varies. Kept in
 * the dataset's details under {@link #KEY} (the run moves it to summary.json's {@code position_tokens}).
 */
public final class PositionTokens {
    public static final String KEY = "position_tokens";

    private PositionTokens() {}

    /** The dataset with its constant positions' token texts in its details (unchanged for the random baseline). */
    public static Dataset attach(Dataset d, Tokenizer tok) {
        if (d.isRandom() || tok == null) return d;
        List<String> text = new ArrayList<>();
        for (int i = 0; i < d.t(); i++) {
            int first = d.token(0, i);
            boolean constant = true;
            for (int s = 1; s < d.n() && constant; s++) constant = d.token(s, i) == first;
            text.add(constant ? tok.decode(new int[] {first}) : null);
        }
        Map<String, Object> details = new LinkedHashMap<>(d.details());
        details.put(KEY, text);
        return new Dataset(d.spec(), d.kind(), d.description(), d.n(), d.t(), d.ids(), d.randomVar(), details);
    }

    /**
     * A position's label for a chart axis: the token's text where every sequence holds the same one (blank text
     * as "␣"), "entity" where an in-context list's entity varies, otherwise the empty string (the axis shows t).
     */
    public static String label(String token, String kind) {
        if (token != null) return token.isBlank() ? "␣" : token.strip();
        return "icl".equals(kind) ? "entity" : "";
    }
}
