package org.emergence.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Input files read whole (config.json, tokenizer files, settings): one too large to be what it claims is
 * refused by name before it is read, rather than ending in an out-of-memory error that cannot say which
 * file caused it.
 */
public final class SmallFiles {
    private SmallFiles() {}

    /** Far above any real one: a tokenizer.json of a 256 K-token vocabulary is about 35 MB. */
    public static final long MAX_BYTES = 512L << 20;

    /** The whole file; {@code kind} names what it should be, for the message (e.g. "tokenizer.json"). */
    public static byte[] read(Path file, String kind) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new UserError(file + ": " + ((size + (1 << 20) - 1) >> 20) + " MB, larger than any " + kind + " (at most " + (MAX_BYTES >> 20)
                    + " MB is read)");
        }
        return Files.readAllBytes(file);
    }
}
