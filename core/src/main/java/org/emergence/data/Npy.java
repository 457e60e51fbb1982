package org.emergence.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emergence.common.UserError;

/**
 * NumPy .npy files (format versions 1.0, 2.0 and 3.0; C order; float32, float64, int32, int64;
 * little- or big-endian on read, little-endian on write). The interchange format with NumPy and
 * PyTorch users and the format of all captured data.
 *
 * <p>Whole-file reads return Java arrays (up to 2^31 − 1 elements); bigger files are read in
 * slices with {@link #readFloats(Path, NpyHeader, long, int)} or written incrementally with
 * {@link NpyWriter}. Every error is a {@link UserError} naming the file.
 */
public final class Npy {
    private Npy() {}

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    // ------------------------------------------------------------------ reading

    /** Parses and validates the header; checks the file holds exactly the data the header promises. */
    public static NpyHeader header(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() < 10) throw bad(file, "not a .npy file (only " + ch.size() + " bytes)");
            ByteBuffer pre = ByteBuffer.allocate((int) Math.min(12, ch.size())).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0, file);
            pre.flip();
            byte[] magic = new byte[6];
            pre.get(magic);
            if (!java.util.Arrays.equals(magic, NpyHeader.MAGIC)) throw bad(file, "not a .npy file (missing the \\x93NUMPY magic)");
            int major = pre.get() & 0xff;
            pre.get(); // minor
            long headerLen;
            int prefix;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xffff;
                prefix = 10;
            } else if ((major == 2 || major == 3) && pre.limit() >= 12) {
                headerLen = pre.getInt(8) & 0xffffffffL;
                prefix = 12;
            } else {
                throw bad(file, "unsupported .npy format version " + major);
            }
            if (headerLen > 1 << 20 || prefix + headerLen > ch.size()) throw bad(file, "truncated .npy header");
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, prefix, file);
            String dict = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            NpyHeader h = parseDict(file, dict, prefix + headerLen);
            long need = h.dataOffset() + h.count() * h.dtype().size;
            if (ch.size() < need) {
                throw bad(file, "truncated: the header promises " + h + " (" + (need - h.dataOffset())
                        + " data bytes) but the file has " + (ch.size() - h.dataOffset()));
            }
            if (ch.size() > need) throw bad(file, (ch.size() - need) + " unexpected bytes after the array data");
            return h;
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (ArithmeticException e) {
            throw bad(file, "shape too large");
        }
    }

    private static NpyHeader parseDict(Path file, String dict, long dataOffset) {
        Matcher d = DESCR.matcher(dict), f = FORTRAN.matcher(dict), s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) throw bad(file, "malformed .npy header: " + dict.trim());
        String descr = d.group(1);
        if (f.group(1).equals("True")) throw bad(file, "Fortran-order arrays are not supported (save with C order)");
        if (descr.length() != 3) throw unsupported(file, descr);
        char order = descr.charAt(0);
        boolean big;
        if (order == '<' || order == '|') big = false;
        else if (order == '>') big = true;
        else if (order == '=') big = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;
        else throw unsupported(file, descr);
        DType type = null;
        for (DType t : DType.values()) if (t.code.equals(descr.substring(1))) type = t;
        if (type == null) throw unsupported(file, descr);
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            if (p.endsWith("L")) p = p.substring(0, p.length() - 1);
            try {
                long v = Long.parseLong(p);
                if (v < 0) throw bad(file, "negative dimension in shape (" + s.group(1) + ")");
                dims.add(v);
            } catch (NumberFormatException e) {
                throw bad(file, "malformed shape (" + s.group(1) + ")");
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        return new NpyHeader(type, big, shape, dataOffset);
    }

    /** All elements as float (float32 as is, float16 widened, float64 rounded). Integer files are refused. */
    public static float[] readFloats(Path file, NpyHeader h) {
        requireFloat(file, h);
        return readFloats(file, h, 0, checkedCount(file, h));
    }

    /**
     * Elements [from, from+count) as float, converting float64. Read through a small reused buffer, so
     * the only large allocation is the result (activation slices can be ~1 GB).
     */
    public static float[] readFloats(Path file, NpyHeader h, long from, int count) {
        requireFloat(file, h);
        if (from < 0 || count < 0 || from + count > h.count()) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + count) + ") outside " + h);
        }
        float[] out = new float[count];
        int size = h.dtype().size;
        ByteBuffer bb = ByteBuffer.allocate(1 << 22).order(h.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int done = 0;
            while (done < count) {
                int k = Math.min(count - done, bb.capacity() / size);
                bb.clear().limit(k * size);
                readFully(ch, bb, h.dataOffset() + (from + done) * size, file);
                bb.flip();
                if (h.dtype() == DType.F4) {
                    bb.asFloatBuffer().get(out, done, k);
                } else if (h.dtype() == DType.F2) {
                    java.nio.ShortBuffer sb = bb.asShortBuffer();
                    for (int i = 0; i < k; i++) out[done + i] = org.emergence.common.Half.TABLE[sb.get(i) & 0xffff];
                } else {
                    DoubleBuffer db = bb.asDoubleBuffer();
                    for (int i = 0; i < k; i++) out[done + i] = (float) db.get(i);
                }
                done += k;
            }
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return out;
    }

    /** All elements as double (float32 widened exactly). Integer files are refused. */
    public static double[] readDoubles(Path file, NpyHeader h) {
        requireFloat(file, h);
        int count = checkedCount(file, h);
        ByteBuffer bb = readBytes(file, h, 0, count);
        double[] out = new double[count];
        if (h.dtype() == DType.F8) {
            bb.asDoubleBuffer().get(out);
        } else if (h.dtype() == DType.F2) {
            java.nio.ShortBuffer sb = bb.asShortBuffer();
            for (int i = 0; i < count; i++) out[i] = org.emergence.common.Half.TABLE[sb.get(i) & 0xffff];
        } else {
            FloatBuffer fb = bb.asFloatBuffer();
            for (int i = 0; i < count; i++) out[i] = fb.get(i);
        }
        return out;
    }

    /** All elements of an int32 or int64 file as long. Float files are refused. */
    public static long[] readLongs(Path file, NpyHeader h) {
        if (h.dtype().isFloat()) {
            throw bad(file, "expected an integer array (int32 or int64), found " + h.dtype().numpyName);
        }
        int count = checkedCount(file, h);
        ByteBuffer bb = readBytes(file, h, 0, count);
        long[] out = new long[count];
        if (h.dtype() == DType.I8) {
            bb.asLongBuffer().get(out);
        } else {
            IntBuffer ib = bb.asIntBuffer();
            for (int i = 0; i < count; i++) out[i] = ib.get(i);
        }
        return out;
    }

    private static void requireFloat(Path file, NpyHeader h) {
        if (!h.dtype().isFloat()) {
            throw bad(file, "expected a float16, float32 or float64 array, found " + h.dtype().numpyName);
        }
    }

    private static int checkedCount(Path file, NpyHeader h) {
        long n = h.count();
        if (n > Integer.MAX_VALUE - 8) throw bad(file, "array of " + n + " elements is too large to load at once");
        return (int) n;
    }

    private static ByteBuffer readBytes(Path file, NpyHeader h, long from, int count) {
        if (from < 0 || count < 0 || from + count > h.count()) {
            throw new IllegalArgumentException("slice [" + from + ", " + (from + count) + ") outside " + h);
        }
        long bytes = (long) count * h.dtype().size;
        if (bytes > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("slice too large: " + bytes + " bytes");
        ByteBuffer bb = ByteBuffer.allocate((int) bytes);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            readFully(ch, bb, h.dataOffset() + from * h.dtype().size, file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        bb.flip();
        return bb.order(h.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    private static void readFully(FileChannel ch, ByteBuffer bb, long pos, Path file) throws IOException {
        while (bb.hasRemaining()) {
            int r = ch.read(bb, pos);
            if (r < 0) throw new EOFException(file + ": unexpected end of file");
            pos += r;
        }
    }

    // ------------------------------------------------------------------ writing

    /** Header bytes (format 1.0, or 2.0 when the dict does not fit), padded so data starts 64-byte aligned. */
    public static byte[] headerBytes(DType type, long[] shape) {
        return NpyHeader.encode(type, shape);
    }

    public static void writeFloats(Path file, long[] shape, float[] data) throws IOException {
        try (NpyWriter w = NpyWriter.create(file, DType.F4, shape)) {
            w.write(FloatBuffer.wrap(data));
            w.commit();
        }
    }

    public static void writeDoubles(Path file, long[] shape, double[] data) throws IOException {
        try (NpyWriter w = NpyWriter.create(file, DType.F8, shape)) {
            w.write(DoubleBuffer.wrap(data));
            w.commit();
        }
    }

    public static void writeInts(Path file, long[] shape, int[] data) throws IOException {
        try (NpyWriter w = NpyWriter.create(file, DType.I4, shape)) {
            w.write(IntBuffer.wrap(data));
            w.commit();
        }
    }

    public static void writeLongs(Path file, long[] shape, long[] data) throws IOException {
        try (NpyWriter w = NpyWriter.create(file, DType.I8, shape)) {
            w.write(LongBuffer.wrap(data));
            w.commit();
        }
    }

    static UserError bad(Path file, String what) {
        return new UserError(file + ": " + what);
    }

    private static UserError unsupported(Path file, String descr) {
        return bad(file, "unsupported dtype '" + descr + "' (supported: float32, float64, int32, int64)");
    }

    /** Reads a stream fully (small helper for tests and resources). */
    static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Convenience: true when the path exists and starts with the .npy magic. */
    public static boolean looksLikeNpy(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] m = in.readNBytes(6);
            return java.util.Arrays.equals(m, NpyHeader.MAGIC);
        } catch (IOException e) {
            return false;
        }
    }
}
