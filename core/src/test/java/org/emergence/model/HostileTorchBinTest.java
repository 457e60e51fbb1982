package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.emergence.model.io.TorchBin;
import org.junit.jupiter.api.Test;

/**
 * Findings 5 and 10 of issue 27, with the hostile pytorch_model.bin files generated here: bounds checks
 * that a wrapping offset or a lying zip size slipped past (exit 0, a tensor mapped over other bytes),
 * and pickles that overflowed the stack or hashed for ever. Each is now one line naming the file.
 */
class HostileTorchBinTest {
    /** A pickle written opcode by opcode (protocol 2). */
    static final class P {
        final ByteArrayOutputStream b = new ByteArrayOutputStream();

        P op(int... ops) {
            for (int o : ops) b.write(o);
            return this;
        }

        P str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(u.length).array());
            b.writeBytes(u);
            return this;
        }

        P long8(long v) {
            op(0x8a, 8);
            b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        P global(String module, String name) {
            op('c');
            b.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        /** _rebuild_tensor_v2(storage key, offset, (n,), (1,)) of a FloatStorage of {@code numel} elements. */
        P tensor(String key, long numel, long offset, long n) {
            global("torch._utils", "_rebuild_tensor_v2").op('(');
            op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").long8(numel).op('t', 'Q');
            long8(offset).long8(n).op(0x85).long8(1).op(0x85).op(0x89).global("collections", "OrderedDict").op(')', 'R');
            return op('t', 'R');
        }

        byte[] bytes() {
            return b.toByteArray();
        }
    }

    /** A torch zip checkpoint: archive/data.pkl and one stored entry per storage (16 floats each). */
    static byte[] zip(byte[] pickle, String... storages) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            stored(z, "archive/data.pkl", pickle);
            for (String s : storages) {
                byte[] data = new byte[16 * 4];
                java.util.Arrays.fill(data, (byte) (s.hashCode() & 0x7f));
                stored(z, "archive/data/" + s, data);
            }
        }
        return out.toByteArray();
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws Exception {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 c = new CRC32();
        c.update(data);
        e.setCrc(c.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        Path d = TestFiles.tempDir("hostile-bin");
        return Files.write(d.resolve(name), bytes);
    }

    private static String refused(Path f) {
        UserError e = assertThrows(UserError.class, () -> TorchBin.open(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anOffsetThatWrapsTheBoundsCheckIsRefused() throws Exception {
        for (long offset : new long[] {(1L << 62) - 43, (1L << 62) - (1L << 40), Long.MAX_VALUE / 4}) {
            byte[] pkl = new P().op(0x80, 2, '}', '(').str("a").tensor("0", 16, 0, 16).str("b").tensor("1", 16, offset, 16)
                    .op('u', '.').bytes();
            String m = refused(write("offset.bin", zip(pkl, "0", "1")));
            assertTrue(m.contains("tensor 'b'") && m.contains("runs past the end of its storage"), m);
        }
    }

    @Test
    void aStoredZipEntryWhoseSizesDisagreeIsRefused() throws Exception {
        byte[] pkl = new P().op(0x80, 2, '}', '(').str("a").tensor("0", 16, 0, 16).str("b").tensor("1", 16, 0, 3200).op('u', '.').bytes();
        byte[] zip = zip(pkl, "0", "1");
        // the central directory entry of archive/data/0 claims 0xfffffff0 uncompressed bytes (its stored bytes: 64)
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = "archive/data/0".getBytes(StandardCharsets.UTF_8);
        for (int p = 0; p + 46 < zip.length; p++) {
            if (b.getInt(p) == 0x02014b50 && (b.getShort(p + 28) & 0xffff) == name.length
                    && java.util.Arrays.equals(zip, p + 46, p + 46 + name.length, name, 0, name.length)) {
                b.putInt(p + 24, 0xfffffff0);
            }
        }
        String m = refused(write("sizes.bin", zip));
        assertTrue(m.contains("archive/data/0") && m.contains("differs from its stored size"), m);
    }

    @Test
    void selfReferencesAndDeepNestingAreOneLine() throws Exception {
        // a list that contains itself, as a dict key
        byte[] selfKey = new P().op(0x80, 2, '}', ']', 'q', 1, 'h', 1, 'a', 'K', 1, 's', '.').bytes();
        assertTrue(refused(write("selfkey.bin", zip(selfKey))).contains("key is not a string"));
        // a dict that contains itself
        byte[] selfDict = new P().op(0x80, 2, '}', 'q', 0).str("a").op('h', 0, 's', '.').bytes();
        assertTrue(refused(write("selfdict.bin", zip(selfDict))).contains("wrapped in itself"));
        // 300,000 nested lists, as a key and as a value; 300,000 nested one-entry dicts
        for (String shape : new String[] {"key", "value", "dicts"}) {
            P p = new P().op(0x80, 2, '}');
            if (shape.equals("value")) p.str("k");
            int n = 300_000;
            if (shape.equals("dicts")) {
                for (int i = 0; i < n; i++) p.op('}').str("a");
                p.op('}');
                for (int i = 0; i < n; i++) p.op('s');
            } else {
                for (int i = 0; i < n; i++) p.op(']');
                for (int i = 1; i < n; i++) p.op('a');
            }
            if (shape.equals("key")) p.op('K', 1);
            if (!shape.equals("dicts")) p.op('s');
            p.op('.');
            assertTrue(refused(write("nested-" + shape + ".bin", zip(p.bytes()))).contains("nested more than 1000 deep"), shape);
        }
    }

    @Test
    void aHashBombKeyEndsAtOnce() throws Exception {
        // 60 levels of lists, each holding the level below twice: hashing it the usual way takes 2^60 steps
        P p = new P().op(0x80, 2, '}', ']', 'q', 0, '0');
        for (int level = 1; level <= 60; level++) p.op('(', 'h', level - 1, 'h', level - 1, 'l', 'q', level, '0');
        byte[] bomb = p.op('h', 60, 'K', 1, 's', '.').bytes();
        Path f = write("hashbomb.bin", zip(bomb));
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            String m = refused(f);
            assertTrue(m.contains("key is not a string"), m);
        });
    }

    @Test
    void aLegacyPickleThatNeverEndsIsNotReadIntoEverLargerArrays() throws Exception {
        // BINBYTES8 announcing 2^40 bytes, in a 300 MB sparse file: the loader used to re-read the file in ever larger pieces
        byte[] head = new P().op(0x80, 2, 0x8e).bytes();
        Path f = TestFiles.tempDir("legacy-endless").resolve("pytorch_model.bin");
        try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.write(head);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array());
            raf.setLength(300L << 20);
        }
        assertTrue(refused(f).contains("do not end within 256 MB"));
    }
}
