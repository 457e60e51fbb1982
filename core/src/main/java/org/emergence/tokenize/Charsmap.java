package org.emergence.tokenize;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.emergence.common.UserError;

/**
 * SentencePiece's precompiled character map (a normaliser of tokenizer.json and tokenizer.model),
 * checked before the native tokenizers library sees it: the library trusts its structure, and an index
 * out of range or a cut through a UTF-8 character makes it panic, which aborts the whole JVM.
 *
 * <p>Layout (little-endian): a u32 byte size of the trie (a multiple of 4), the trie as u32 units of a double array
 * (darts), then the replacement strings, each ending with NUL. A unit holds a label (its low byte, or
 * bit 31 for a leaf), a has-leaf flag (bit 8) and an offset (bits 10–31, shifted by 8 when bit 9 is
 * set); a leaf unit holds an index into the strings. Walking from unit 0, every unit reachable through
 * any byte must be inside the array, and every leaf must point at the start of a character inside
 * the strings, which must be UTF-8. That is exactly what the library's lookup needs.
 */
final class Charsmap {
    private Charsmap() {}

    /** Refuses a map the native library could not use safely, naming {@code source}. */
    static void check(byte[] map, String source) {
        String why = problem(map);
        if (why != null) throw new UserError(source + ": malformed SentencePiece precompiled_charsmap (" + why + ")");
    }

    /** Null when the map is well formed, else what is wrong. */
    static String problem(byte[] map) {
        if (map.length < 4) return map.length + " bytes, too short for its trie size";
        ByteBuffer b = ByteBuffer.wrap(map).order(ByteOrder.LITTLE_ENDIAN);
        long trieBytes = b.getInt(0) & 0xffffffffL;
        if (trieBytes > map.length - 4L) return "trie of " + trieBytes + " bytes in a map of " + map.length;
        // the library reads trieBytes / 4 units and takes every byte after them as the strings, so a size
        // that is not a whole number of units would move the strings' start (SentencePiece never writes one)
        if (trieBytes % 4 != 0) return "trie of " + trieBytes + " bytes, not a whole number of 4-byte units";
        int units = (int) (trieBytes / 4);
        if (units == 0) return "an empty trie";
        byte[] strings = java.util.Arrays.copyOfRange(map, 4 + 4 * units, map.length);
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(strings));
        } catch (CharacterCodingException e) {
            return "replacement strings are not UTF-8";
        }
        int[] unit = new int[units];
        for (int i = 0; i < units; i++) unit[i] = b.getInt(4 + 4 * i);
        // every node reachable from the root, through any byte: each is reached by one matching unit, so at most units + 1
        java.util.HashSet<Long> seen = new java.util.HashSet<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.push(offset(unit[0]));
        seen.add(offset(unit[0]));
        while (!todo.isEmpty()) {
            long node = todo.pop();
            for (int c = 1; c < 256; c++) {
                long p = node ^ c;
                if (p >= units) return "a transition leads to unit " + p + " of " + units;
                int u = unit[(int) p];
                if (label(u) != c) continue;
                long next = p ^ offset(u);
                if (hasLeaf(u)) {
                    if (next >= units) return "a leaf at unit " + next + " of " + units;
                    long v = unit[(int) next] & 0x7fffffffL;
                    if (v > strings.length) return "a replacement at byte " + v + " of " + strings.length;
                    if (v < strings.length && (strings[(int) v] & 0xc0) == 0x80) return "a replacement starts inside a UTF-8 character";
                }
                if (seen.add(next)) todo.push(next);
            }
        }
        return null;
    }

    private static long offset(int u) {
        return ((long) (u >>> 10)) << ((u & (1 << 9)) >>> 6);
    }

    private static int label(int u) {
        return u & ((1 << 31) | 0xff);
    }

    private static boolean hasLeaf(int u) {
        return ((u >>> 8) & 1) == 1;
    }
}
