package org.emergence.model.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import org.emergence.common.AtomicFiles;
import org.emergence.common.Seeds;
import org.emergence.tensor.Parallel;

/**
 * Writes {@code .safetensors} files of generated tensors — random ones for {@code emergence init}
 * ({@code model.RandomCheckpoint}), ablated copies, or given tensors for tests. Values are deterministic for a
 * seed whatever the thread count: each 64K-element piece of each tensor has its own derived seed.
 */
public final class CheckpointWriter {
    private CheckpointWriter() {}

    private static final int PIECE = 1 << 16;

    /** Fills element range [from, from+n) of one tensor. */
    public interface Filler {
        void fill(long from, float[] dst, int n);
    }

    /** N(0, std²) values from a per-piece seeded generator (Box–Muller). */
    public static Filler gaussian(long seed, double std) {
        return (from, dst, n) -> {
            // from is always a multiple of PIECE here, so pieces line up with seeds
            for (int p = 0; p < n; p += PIECE) {
                Seeds.gaussians(new SplittableRandom(mix(seed, (from + p) / PIECE)), std, dst, p, Math.min(PIECE, n - p));
            }
        };
    }

    /** Writes a .safetensors file of the given tensors in the given storage type, atomically. */
    public static void write(Path file, List<? extends TensorShape> tensors, Map<String, Filler> fillers, StorageType type,
                             LongConsumer progress) throws IOException {
        if (!type.isWeightType()) throw new IllegalArgumentException("dtype " + type);
        ObjectMapper om = new ObjectMapper();
        ObjectNode header = om.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long off = 0;
        for (TensorShape t : tensors) {
            long n = 1;
            for (long d : t.shape()) n *= d;
            ObjectNode e = header.putObject(t.name());
            e.put("dtype", type.name());
            ArrayNode sh = e.putArray("shape");
            for (long d : t.shape()) sh.add(d);
            ArrayNode o = e.putArray("data_offsets");
            o.add(off).add(off + n * type.size);
            off += n * type.size;
        }
        byte[] json = om.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) head.put((byte) ' ');
        head.flip();
        Path tmp = AtomicFiles.tempFor(file);
        try {
            writeTo(tmp, head, tensors, fillers, type, progress);
            AtomicFiles.commit(tmp, file);
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw AtomicFiles.named(file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeTo(Path tmp, ByteBuffer head, List<? extends TensorShape> tensors, Map<String, Filler> fillers, StorageType type,
                                LongConsumer progress) throws IOException {
        {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                while (head.hasRemaining()) ch.write(head);
                int chunk = 1 << 22;
                float[] vals = new float[chunk];
                ByteBuffer bytes = ByteBuffer.allocateDirect(chunk * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (TensorShape t : tensors) {
                    long n = 1;
                    for (long d : t.shape()) n *= d;
                    Filler fill = fillers.get(t.name());
                    for (long s = 0; s < n; s += chunk) {
                        int m = (int) Math.min(chunk, n - s);
                        final long start = s;
                        Parallel.range((m + PIECE - 1) / PIECE, 1, (p0, p1) -> {
                            int a = p0 * PIECE, b = Math.min(m, p1 * PIECE);
                            float[] piece = new float[b - a];
                            fill.fill(start + a, piece, b - a);
                            System.arraycopy(piece, 0, vals, a, b - a);
                        });
                        bytes.clear();
                        for (int i = 0; i < m; i++) {
                            switch (type) {
                                case F32 -> bytes.putFloat(vals[i]);
                                case F16 -> bytes.putShort(org.emergence.common.Half.fromFloat(vals[i]));
                                default -> bytes.putShort(Weight.toBf16(vals[i]));
                            }
                        }
                        bytes.flip();
                        while (bytes.hasRemaining()) ch.write(bytes);
                        if (progress != null) progress.accept((long) m * type.size);
                    }
                }
            }
        }
    }

    /** Total bytes of tensor data for a layout in a storage type. */
    public static long dataBytes(List<? extends TensorShape> tensors, StorageType type) {
        long total = 0;
        for (TensorShape t : tensors) {
            long n = 1;
            for (long d : t.shape()) n *= d;
            total += n * type.size;
        }
        return total;
    }

    /** The seed of piece or tensor {@code b} under seed {@code a} (as {@link Seeds#mix}). */
    public static long mix(long a, long b) {
        return Seeds.mix(a, b);
    }
}
