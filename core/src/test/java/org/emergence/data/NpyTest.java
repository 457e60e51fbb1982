package org.emergence.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

class NpyTest {
    @Test
    void roundTripsEveryDtypeAndRank() throws IOException {
        Path d = TestFiles.tempDir("npy");
        Npy.writeFloats(d.resolve("f.npy"), new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, -6.5f});
        Npy.writeDoubles(d.resolve("d.npy"), new long[] {4}, new double[] {1e-300, 2, 3, Math.PI});
        Npy.writeInts(d.resolve("i.npy"), new long[] {1, 1, 2}, new int[] {-7, Integer.MAX_VALUE});
        Npy.writeLongs(d.resolve("l.npy"), new long[] {1, 2, 1, 1}, new long[] {Long.MIN_VALUE, 42});
        NpyHeader h = Npy.header(d.resolve("f.npy"));
        assertEquals(DType.F4, h.dtype());
        assertArrayEquals(new long[] {2, 3}, h.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, Npy.readFloats(d.resolve("f.npy"), h));
        assertArrayEquals(new double[] {1e-300, 2, 3, Math.PI}, Npy.readDoubles(d.resolve("d.npy"), Npy.header(d.resolve("d.npy"))));
        assertArrayEquals(new long[] {-7, Integer.MAX_VALUE}, Npy.readLongs(d.resolve("i.npy"), Npy.header(d.resolve("i.npy"))));
        NpyHeader lh = Npy.header(d.resolve("l.npy"));
        assertArrayEquals(new long[] {1, 2, 1, 1}, lh.shape());
        assertArrayEquals(new long[] {Long.MIN_VALUE, 42}, Npy.readLongs(d.resolve("l.npy"), lh));
        // the data of a written file starts 64-byte aligned, as NumPy does
        assertEquals(0, h.dataOffset() % 64);
    }

    @Test
    void readsNumpyWrittenFilesIncludingVersion2AndBigEndian() throws IOException {
        Path d = TestFiles.tempDir("npy2");
        // format 2.0 header, big-endian float64, shape (3,)
        String dict = "{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }";
        int total = 12 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        ByteBuffer b = ByteBuffer.allocate(total + pad + 24);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(dict.length() + 1 + pad);
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        b.order(ByteOrder.BIG_ENDIAN).putDouble(1.5).putDouble(-2).putDouble(1e10);
        Files.write(d.resolve("be.npy"), b.array());
        NpyHeader h = Npy.header(d.resolve("be.npy"));
        assertTrue(h.bigEndian());
        assertArrayEquals(new double[] {1.5, -2, 1e10}, Npy.readDoubles(d.resolve("be.npy"), h));
        assertArrayEquals(new float[] {1.5f, -2f, 1e10f}, Npy.readFloats(d.resolve("be.npy"), h));
    }

    @Test
    void goldenFilesWrittenByNumpyAreRead() {
        Path f = TestFiles.golden("gpt2").resolve("batch_3x8/block_inputs.npy");
        NpyHeader h = Npy.header(f);
        assertArrayEquals(new long[] {3, 3, 8, 64}, h.shape());
        float[] v = Npy.readFloats(f, h);
        assertEquals(3 * 3 * 8 * 64, v.length);
        // a slice read equals the corresponding part of the whole read
        assertArrayEquals(java.util.Arrays.copyOfRange(v, 100, 164), Npy.readFloats(f, h, 100, 64));
    }

    @Test
    void refusesWhatItCannotRead() throws IOException {
        Path d = TestFiles.tempDir("npybad");
        Files.writeString(d.resolve("a.npy"), "hello");
        assertMessage(() -> Npy.header(d.resolve("a.npy")), "a.npy", "not a .npy file");
        Path f = d.resolve("fortran.npy");
        writeRaw(f, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16);
        assertMessage(() -> Npy.header(f), "Fortran");
        Path u = d.resolve("u1.npy");
        writeRaw(u, "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }", 4);
        assertMessage(() -> Npy.header(u), "unsupported dtype '|u1'");
        Path t = d.resolve("short.npy");
        writeRaw(t, "{'descr': '<f4', 'fortran_order': False, 'shape': (10,), }", 8);
        assertMessage(() -> Npy.header(t), "truncated");
        assertMessage(() -> Npy.header(d.resolve("missing.npy")), "no such file");
        Npy.writeFloats(d.resolve("x.npy"), new long[] {2}, new float[] {1, 2});
        assertMessage(() -> Npy.readLongs(d.resolve("x.npy"), Npy.header(d.resolve("x.npy"))), "integer");
    }

    @Test
    void streamingWriterIsAtomicAndChecksCompleteness() throws IOException {
        Path d = TestFiles.tempDir("npyw");
        Path target = d.resolve("big.npy");
        try (NpyWriter w = NpyWriter.create(target, DType.F4, new long[] {2, 2, 3})) {
            w.writeAt(6, FloatBuffer.wrap(new float[] {7, 8, 9, 10, 11, 12}));
            w.writeAt(0, FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6}));
            assertFalse(Files.exists(target), "nothing visible before commit");
            w.commit();
        }
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Npy.readFloats(target, Npy.header(target)));
        Path partial = d.resolve("partial.npy");
        try (NpyWriter w = NpyWriter.create(partial, DType.F4, new long[] {4})) {
            w.write(FloatBuffer.wrap(new float[] {1, 2}));
            assertThrows(IllegalStateException.class, w::commit);
        }
        assertFalse(Files.exists(partial), "an incomplete array never appears under its name");
        try (var s = Files.list(d)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")), "temp files are cleaned up");
        }
    }

    private static void writeRaw(Path f, String dict, int dataBytes) throws IOException {
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        ByteBuffer b = ByteBuffer.allocate(total + pad + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) (dict.length() + 1 + pad));
        b.put(dict.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < pad; i++) b.put((byte) ' ');
        b.put((byte) '\n');
        Files.write(f, b.array());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String... parts) {
        UserError err = assertThrows(UserError.class, e);
        for (String p : parts) assertTrue(err.getMessage().contains(p), err.getMessage());
    }
}
