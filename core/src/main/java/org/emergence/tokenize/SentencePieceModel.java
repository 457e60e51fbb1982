package org.emergence.tokenize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.emergence.common.ProtoReader;
import org.emergence.common.UserError;

/**
 * A SentencePiece {@code tokenizer.model}: the ModelProto protocol buffer (sentencepiece_model.proto)
 * read for what encoding needs — the pieces with their scores and types, the model type (unigram or
 * BPE), byte fallback, and the normalizer (precompiled character map, dummy prefix, whitespace
 * handling). Field numbers are those of the published .proto.
 */
public record SentencePieceModel(List<Piece> pieces, int modelType, boolean byteFallback, int unkId, String normalizerName,
                                 byte[] precompiledCharsmap, boolean addDummyPrefix, boolean removeExtraWhitespaces,
                                 boolean escapeWhitespaces) {

    public static final int UNIGRAM = 1, BPE = 2, WORD = 3, CHAR = 4;
    public static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;

    public record Piece(String piece, float score, int type) {}

    public static SentencePieceModel read(Path file) {
        byte[] data;
        try {
            data = org.emergence.common.SmallFiles.read(file, "SentencePiece model");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return parse(data, file.toString());
        } catch (ProtoReader.Malformed e) {
            throw new UserError(file + ": not a SentencePiece model (" + e.getMessage() + ")");
        }
    }

    static SentencePieceModel parse(byte[] data, String name) {
        ByteBuffer b = ByteBuffer.wrap(data);
        ProtoReader r = new ProtoReader(b, 0, data.length);
        List<Piece> pieces = new ArrayList<>();
        int modelType = UNIGRAM, unk = 0;
        boolean byteFallback = false, dummy = true, removeWs = true, escapeWs = true;
        String normName = "";
        byte[] charsmap = new byte[0];
        while (r.next()) {
            switch (r.field()) {
                case 1 -> { // SentencePiece pieces
                    ProtoReader p = r.message();
                    String piece = null;
                    float score = 0;
                    int type = NORMAL;
                    while (p.next()) {
                        switch (p.field()) {
                            case 1 -> piece = p.string();
                            case 2 -> score = Float.intBitsToFloat(p.fixed32());
                            case 3 -> type = (int) p.varint();
                            default -> p.skip();
                        }
                    }
                    if (piece == null) throw new UserError(name + ": piece " + pieces.size() + " has no text");
                    pieces.add(new Piece(piece, score, type));
                }
                case 2 -> { // TrainerSpec
                    ProtoReader t = r.message();
                    while (t.next()) {
                        switch (t.field()) {
                            case 3 -> modelType = (int) t.varint();
                            case 35 -> byteFallback = t.varint() != 0;
                            case 40 -> unk = (int) t.varint();
                            default -> t.skip();
                        }
                    }
                }
                case 3 -> { // NormalizerSpec
                    ProtoReader n = r.message();
                    while (n.next()) {
                        switch (n.field()) {
                            case 1 -> normName = n.string();
                            case 2 -> {
                                int[] s = n.span();
                                charsmap = java.util.Arrays.copyOfRange(data, s[0], s[0] + s[1]);
                            }
                            case 3 -> dummy = n.varint() != 0;
                            case 4 -> removeWs = n.varint() != 0;
                            case 5 -> escapeWs = n.varint() != 0;
                            default -> n.skip();
                        }
                    }
                }
                default -> r.skip();
            }
        }
        if (pieces.isEmpty()) throw new UserError(name + ": a SentencePiece model without pieces");
        if (charsmap.length > 0) Charsmap.check(charsmap, name);
        if (modelType != UNIGRAM && modelType != BPE) {
            throw new UserError(name + ": SentencePiece model type " + (modelType == WORD ? "word" : modelType == CHAR ? "char" : modelType)
                    + " is not supported (unigram and BPE are)");
        }
        for (int i = 0; i < pieces.size(); i++) if (pieces.get(i).type() == UNKNOWN) unk = i;
        if (unk < 0 || unk >= pieces.size()) throw new UserError(name + ": unknown-token id " + unk + " is not a piece");
        return new SentencePieceModel(List.copyOf(pieces), modelType, byteFallback, unk, normName, charsmap, dummy, removeWs, escapeWs);
    }
}
