package org.emergence.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.emergence.TestFiles;
import org.emergence.common.JsonFiles;
import org.emergence.common.SmallFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

/**
 * Input files read whole that are far too large to be what they claim are refused by name before reading
 * (they ended in an out-of-memory error that could not say which file). The files are sparse: no disk used.
 */
class OversizedFilesTest {
    private static Path sparse(Path dir, String name, long bytes) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(bytes);
        }
        return f;
    }

    @Test
    void aTokenizerConfigOrSentencePieceModelPastTheLimitIsOneLine() throws Exception {
        Path d = TestFiles.tempDir("oversized");
        long size = SmallFiles.MAX_BYTES + 1;
        Path tok = sparse(d, "tokenizer.json", size);
        UserError e = assertThrows(UserError.class, () -> Tokenizer.fromFile(tok));
        assertEquals(tok + ": 513 MB, larger than any tokenizer.json (at most 512 MB is read)", e.getMessage());
        Path config = sparse(d, "config.json", size);
        e = assertThrows(UserError.class, () -> JsonFiles.readObject(config));
        assertTrue(e.getMessage().startsWith(config + ": 513 MB, larger than any JSON file"), e.getMessage());
        Path spm = sparse(d, "tokenizer.model", size);
        e = assertThrows(UserError.class, () -> SentencePieceModel.read(spm));
        assertTrue(e.getMessage().startsWith(spm + ": 513 MB, larger than any SentencePiece model"), e.getMessage());
    }

    @Test
    void aFileAtTheLimitIsRead() throws Exception {
        Path f = sparse(TestFiles.tempDir("at-limit"), "x.bin", 1 << 20);
        assertEquals(1 << 20, SmallFiles.read(f, "test file").length);
    }
}
