package org.emergence.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.emergence.common.AtomicFiles;

/**
 * Streams a .npy file of known dtype and shape to disk in pieces, so arrays larger than memory
 * can be written. Data goes to a temp file; {@link #commit()} checks that exactly the promised
 * number of elements arrived, then fsyncs and renames it into place. Closing without commit
 * deletes the temp file, so a partial array is never visible under the final name.
 */
public final class NpyWriter implements AutoCloseable {
    private final Path target;
    private final Path tmp;
    private final FileChannel ch;
    private final DType type;
    private final long expected;
    private final long headerBytes;
    private long written;
    private boolean done;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

    private NpyWriter(Path target, DType type, long[] shape) throws IOException {
        this.target = target;
        this.type = type;
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        this.expected = n;
        Path parent = target.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        this.tmp = AtomicFiles.tempFor(target);
        this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.wrap(NpyHeader.encode(type, shape));
        this.headerBytes = h.remaining();
        while (h.hasRemaining()) ch.write(h);
    }

    public static NpyWriter create(Path target, DType type, long[] shape) throws IOException {
        return new NpyWriter(target, type, shape);
    }

    public long written() {
        return written;
    }

    /** Appends the remaining elements of {@code src} (its position is left unchanged). */
    public void write(FloatBuffer src) throws IOException {
        check(DType.F4, src.remaining());
        FloatBuffer s = src.duplicate();
        while (s.hasRemaining()) {
            staging.clear();
            FloatBuffer v = staging.asFloatBuffer();
            int n = Math.min(v.capacity(), s.remaining());
            FloatBuffer part = s.slice();
            part.limit(n);
            v.put(part);
            s.position(s.position() + n);
            flush(n * 4);
        }
    }

    public void write(DoubleBuffer src) throws IOException {
        check(DType.F8, src.remaining());
        DoubleBuffer s = src.duplicate();
        while (s.hasRemaining()) {
            staging.clear();
            DoubleBuffer v = staging.asDoubleBuffer();
            int n = Math.min(v.capacity(), s.remaining());
            DoubleBuffer part = s.slice();
            part.limit(n);
            v.put(part);
            s.position(s.position() + n);
            flush(n * 8);
        }
    }

    public void write(IntBuffer src) throws IOException {
        check(DType.I4, src.remaining());
        IntBuffer s = src.duplicate();
        while (s.hasRemaining()) {
            staging.clear();
            IntBuffer v = staging.asIntBuffer();
            int n = Math.min(v.capacity(), s.remaining());
            IntBuffer part = s.slice();
            part.limit(n);
            v.put(part);
            s.position(s.position() + n);
            flush(n * 4);
        }
    }

    public void write(LongBuffer src) throws IOException {
        check(DType.I8, src.remaining());
        LongBuffer s = src.duplicate();
        while (s.hasRemaining()) {
            staging.clear();
            LongBuffer v = staging.asLongBuffer();
            int n = Math.min(v.capacity(), s.remaining());
            LongBuffer part = s.slice();
            part.limit(n);
            v.put(part);
            s.position(s.position() + n);
            flush(n * 8);
        }
    }

    /**
     * Writes {@code src} at element offset {@code elemOffset} (random access, for arrays filled out of
     * order such as [L, B, T, H] captured batch by batch). Regions must not overlap; commit checks the
     * total count.
     */
    public void writeAt(long elemOffset, FloatBuffer src) throws IOException {
        if (type != DType.F4) throw new IllegalArgumentException("writing float32 into a " + type + " .npy");
        int n = src.remaining();
        if (elemOffset < 0 || elemOffset + n > expected) {
            throw new IllegalArgumentException(target + ": write [" + elemOffset + ", " + (elemOffset + n) + ") outside " + expected);
        }
        written += n;
        long pos = headerBytes + elemOffset * 4;
        FloatBuffer s = src.duplicate();
        while (s.hasRemaining()) {
            staging.clear();
            FloatBuffer v = staging.asFloatBuffer();
            int k = Math.min(v.capacity(), s.remaining());
            FloatBuffer part = s.slice();
            part.limit(k);
            v.put(part);
            s.position(s.position() + k);
            staging.position(0).limit(k * 4);
            try {
                while (staging.hasRemaining()) pos += ch.write(staging, pos);
            } catch (java.nio.file.FileSystemException e) {
                throw e;
            } catch (IOException e) {
                throw AtomicFiles.named(target, e);
            }
        }
    }

    private void check(DType t, int n) {
        if (t != type) throw new IllegalArgumentException("writing " + t + " into a " + type + " .npy");
        if (written + n > expected) {
            throw new IllegalStateException(target + ": writing " + (written + n) + " elements into an array of " + expected);
        }
        written += n;
    }

    private void flush(int bytes) throws IOException {
        staging.position(0).limit(bytes);
        try {
            while (staging.hasRemaining()) ch.write(staging);
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw AtomicFiles.named(target, e);
        }
    }

    /** Verifies completeness and atomically publishes the file. */
    public void commit() throws IOException {
        if (written != expected) {
            throw new IllegalStateException(target + ": " + written + " of " + expected + " elements written");
        }
        ch.force(true);
        ch.close();
        AtomicFiles.commit(tmp, target);
        done = true;
    }

    @Override
    public void close() throws IOException {
        if (ch.isOpen()) ch.close();
        if (!done) Files.deleteIfExists(tmp);
    }
}
