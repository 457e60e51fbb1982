package org.emergence.model.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.emergence.common.UserError;

/**
 * The entries of a zip file with the byte offset of each one's data, from the central directory
 * (zip64 included): what java.util.zip does not expose and memory-mapping a stored entry needs.
 */
final class ZipEntries {
    private ZipEntries() {}

    record Entry(String name, int method, long size, long dataOffset) {}

    static Map<String, Entry> read(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        int tail = (int) Math.min(size, 65_557);
        ByteBuffer t = readAt(ch, size - tail, tail);
        int eocd = -1;
        for (int i = tail - 22; i >= 0; i--) {
            if (t.getInt(i) == 0x06054b50) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) throw new UserError(file + ": truncated or not a zip (no end of central directory)");
        long count = t.getShort(eocd + 10) & 0xffff, cdSize = t.getInt(eocd + 12) & 0xffffffffL, cdOffset = t.getInt(eocd + 16) & 0xffffffffL;
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            int loc = eocd - 20;
            if (loc < 0 || t.getInt(loc) != 0x07064b50) throw new UserError(file + ": zip64 locator missing");
            long z = t.getLong(loc + 8);
            if (z < 0 || z > size - 56) throw new UserError(file + ": zip64 locator points outside the file");
            ByteBuffer r = readAt(ch, z, 56);
            if (r.remaining() < 56 || r.getInt(0) != 0x06064b50) throw new UserError(file + ": zip64 end record missing");
            count = r.getLong(32);
            cdSize = r.getLong(40);
            cdOffset = r.getLong(48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset > size || cdSize > size - cdOffset || cdSize > 1L << 30) {
            throw new UserError(file + ": truncated zip (central directory outside the file)");
        }
        ByteBuffer cd = readAt(ch, cdOffset, (int) cdSize);
        Map<String, Entry> out = new LinkedHashMap<>();
        int p = 0;
        for (long k = 0; k < count; k++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != 0x02014b50) throw new UserError(file + ": corrupt zip central directory");
            int method = cd.getShort(p + 10) & 0xffff;
            long csize = cd.getInt(p + 20) & 0xffffffffL, usize = cd.getInt(p + 24) & 0xffffffffL;
            int nl = cd.getShort(p + 28) & 0xffff, el = cd.getShort(p + 30) & 0xffff, cl = cd.getShort(p + 32) & 0xffff;
            long local = cd.getInt(p + 42) & 0xffffffffL;
            if (p + 46 + nl + el > cd.limit()) throw new UserError(file + ": corrupt zip central directory");
            byte[] nb = new byte[nl];
            cd.get(p + 46, nb);
            String name = new String(nb, StandardCharsets.UTF_8);
            // zip64 extra field: the 8-byte values of the fields that are 0xffffffff, in order
            int e = p + 46 + nl, end = e + el;
            while (e + 4 <= end) {
                int id = cd.getShort(e) & 0xffff, len = cd.getShort(e + 2) & 0xffff;
                if (id == 0x0001) {
                    int q = e + 4;
                    if (usize == 0xffffffffL && q + 8 <= e + 4 + len) { usize = cd.getLong(q); q += 8; }
                    if (csize == 0xffffffffL && q + 8 <= e + 4 + len) { csize = cd.getLong(q); q += 8; }
                    if (local == 0xffffffffL && q + 8 <= e + 4 + len) local = cd.getLong(q);
                }
                e += 4 + len;
            }
            if (local < 0 || local > size - 30 || csize < 0 || usize < 0) {
                throw new UserError(file + ": corrupt zip entry " + name + " (offset or size outside the file)");
            }
            ByteBuffer lh = readAt(ch, local, 30);
            if (lh.remaining() < 30 || lh.getInt(0) != 0x04034b50) throw new UserError(file + ": corrupt zip entry " + name);
            long data = local + 30 + (lh.getShort(26) & 0xffff) + (lh.getShort(28) & 0xffff);
            if (data > size || csize > size - data) throw new UserError(file + ": truncated (zip entry " + name + " runs past the end of the file)");
            // a stored entry's bytes are its compressed bytes: a larger "uncompressed" size would let a tensor read the entries after it
            if (method == 0 && usize != csize) {
                throw new UserError(file + ": corrupt zip entry " + name + " (stored, but its size " + usize + " differs from its stored size " + csize + ")");
            }
            out.put(name, new Entry(name, method, method == 0 ? usize : csize, data));
            p += 46 + nl + el + cl;
        }
        return out;
    }

    /** n little-endian bytes of {@code ch} from {@code pos} (fewer at the end of the file). */
    static ByteBuffer readAt(FileChannel ch, long pos, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) break;
        }
        b.flip();
        return b;
    }
}
