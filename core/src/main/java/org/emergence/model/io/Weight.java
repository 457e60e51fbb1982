package org.emergence.model.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.emergence.common.UserError;
import org.emergence.tensor.Gemm;
import org.emergence.tensor.Parallel;

/**
 * One stored tensor of a checkpoint, memory-mapped in its stored dtype. F32 tensors are used in
 * place (a zero-copy view of the mapping); F16 and BF16 tensors are widened to fp32 on demand,
 * a row range at a time, so a checkpoint larger than the heap can be used.
 */
public final class Weight {
    private final String name;
    private final Path file;
    private final StorageType type;
    private final long[] shape;
    private final long fileOffset;
    private MappedByteBuffer mapped; // whole tensor when it fits one mapping (< 2 GB)

    /**
     * A tensor stored at byte {@code fileOffset} of {@code file}, little-endian, C order — for weight
     * formats other than safetensors (e.g. ONNX initializers with raw_data).
     */
    public static Weight mapped(String name, Path file, StorageType type, long[] shape, long fileOffset) {
        return new Weight(name, file, type, shape.clone(), fileOffset);
    }

    Weight(String name, Path file, StorageType type, long[] shape, long fileOffset) {
        this.name = name;
        this.file = file;
        this.type = type;
        this.shape = shape;
        this.fileOffset = fileOffset;
    }

    public String name() {
        return name;
    }

    public Path file() {
        return file;
    }

    public StorageType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteSize() {
        return numel() * type.size;
    }

    long fileOffset() {
        return fileOffset;
    }

    /** First dimension (1 for a scalar). */
    public long rows() {
        return shape.length == 0 ? 1 : shape[0];
    }

    /** Product of all but the first dimension. */
    public long cols() {
        return shape.length == 0 ? 1 : numel() / Math.max(1, shape[0]);
    }

    /**
     * Rows [from, from + count) of a 2-D tensor as a tensor of its own, over the same bytes: one part of
     * a fused projection (Phi-3's gate_up_proj holds the gate rows, then the up rows).
     */
    public Weight rows(long from, long count) {
        if (shape.length != 2 || from < 0 || count < 1 || from + count > shape[0]) {
            throw new IllegalArgumentException(name + ": rows [" + from + ", " + (from + count) + ") of " + shapeString());
        }
        return new Weight(name + "[" + from + ":" + (from + count) + "]", file, type, new long[] {count, shape[1]},
                fileOffset + from * shape[1] * type.size);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }

    /** Throws a one-line error unless this tensor has exactly the given shape and a weight dtype. */
    public Weight expect(long... expected) {
        if (!type.isWeightType()) {
            throw new UserError(file + ": tensor '" + name + "' has dtype " + type + "; weights must be F32, F16 or BF16");
        }
        if (!Arrays.equals(shape, expected)) {
            throw new UserError(file + ": tensor '" + name + "' has shape " + shapeString() + ", expected "
                    + Arrays.toString(expected));
        }
        return this;
    }

    private synchronized ByteBuffer mapping() {
        if (mapped == null) {
            long bytes = byteSize();
            if (bytes > Integer.MAX_VALUE) return null;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                mapped = ch.map(FileChannel.MapMode.READ_ONLY, fileOffset, bytes);
            } catch (IOException e) {
                throw new UserError(file + ": cannot map tensor '" + name + "' (" + e.getMessage() + ")", e);
            }
        }
        return mapped;
    }

    /** Maps bytes [from, from+len) of this tensor (for tensors over 2 GB, mapped piecewise). */
    private ByteBuffer region(long fromByte, long lenBytes) {
        ByteBuffer whole = mapping();
        if (whole != null) {
            return whole.duplicate().position((int) fromByte).limit((int) (fromByte + lenBytes)).slice()
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.map(FileChannel.MapMode.READ_ONLY, fileOffset + fromByte, lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UserError(file + ": cannot map tensor '" + name + "' (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The whole tensor as fp32, in memory of this process: an F32 tensor is copied out of the mapped file
     * (copy-on-open), others are widened. A mapped view handed to native code (OpenBLAS) would crash the
     * JVM with SIGBUS if the file were truncated while in use (a new checkpoint copied over the old one);
     * a copy made by Java fails instead with an error that names what happened. Tensors of 2 GB or more in
     * fp32 must be read in row ranges with {@link #readF32}.
     */
    public FloatBuffer f32() {
        requireWeightType();
        if (type == StorageType.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && byteSize() <= Integer.MAX_VALUE) {
            FloatBuffer out;
            try {
                out = Gemm.allocate(numel());
            } catch (OutOfMemoryError e) { // direct memory capped below the model (-XX:MaxDirectMemorySize): the mapped view
                return region(0, byteSize()).asFloatBuffer();
            }
            out.put(region(0, byteSize()).asFloatBuffer()).flip();
            return out;
        }
        FloatBuffer out = Gemm.allocate(numel());
        readF32(0, numel(), out, 0);
        return out;
    }

    /** Widens elements [from, from+count) into {@code dst} at {@code dstOff}. */
    public void readF32(long from, long count, FloatBuffer dst, int dstOff) {
        requireWeightType();
        if (from < 0 || count < 0 || from + count > numel()) {
            throw new IllegalArgumentException(name + ": range [" + from + ", " + (from + count) + ") outside " + numel());
        }
        long done = 0;
        while (done < count) {
            int n = (int) Math.min(count - done, (1L << 28) / type.size); // at most 256 MB mapped per step
            ByteBuffer src = region((from + done) * type.size, (long) n * type.size);
            widen(src, dst, dstOff + (int) done, n);
            done += n;
        }
    }

    private void widen(ByteBuffer src, FloatBuffer dst, int dstOff, int n) {
        switch (type) {
            case F32 -> {
                FloatBuffer s = src.asFloatBuffer();
                dst.put(dstOff, s, 0, n);
            }
            case BF16 -> {
                ShortBuffer s = src.asShortBuffer();
                Parallel.range(n, 1 << 16, (a, b) -> {
                    for (int i = a; i < b; i++) dst.put(dstOff + i, Float.intBitsToFloat((s.get(i) & 0xffff) << 16));
                });
            }
            case F16 -> {
                ShortBuffer s = src.asShortBuffer();
                float[] table = org.emergence.common.Half.TABLE;
                Parallel.range(n, 1 << 16, (a, b) -> {
                    for (int i = a; i < b; i++) dst.put(dstOff + i, table[s.get(i) & 0xffff]);
                });
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    private void requireWeightType() {
        if (!type.isWeightType()) {
            throw new UserError(file + ": tensor '" + name + "' has dtype " + type + "; weights must be F32, F16 or BF16");
        }
    }

    /** float → bfloat16 bits, round to nearest even. */
    public static short toBf16(float f) {
        return org.emergence.tensor.Bf16.bits(f);
    }

    /**
     * The whole tensor as bf16 bits (native order): a zero-copy view of the mapping for BF16, a rounded copy
     * (nearest even) of F32 and F16 tensors otherwise. For the bf16 forward pass; under 2 GB of bf16 only.
     */
    public ShortBuffer bf16() {
        requireWeightType();
        if (type == StorageType.BF16 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && byteSize() <= Integer.MAX_VALUE) {
            return region(0, byteSize()).asShortBuffer();
        }
        ShortBuffer out = org.emergence.tensor.Bf16.allocate(numel());
        int chunk = 1 << 22;
        FloatBuffer tmp = Gemm.allocate(Math.min(numel(), chunk));
        for (long from = 0; from < numel(); from += chunk) {
            int n = (int) Math.min(chunk, numel() - from);
            readF32(from, n, tmp, 0);
            org.emergence.tensor.Bf16.toBits(tmp, 0, n, out, (int) from, n, 1, n);
        }
        return out;
    }
}
