package org.emergence.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.emergence.common.AtomicFiles;
import org.emergence.common.UserError;
import org.emergence.data.DType;
import org.emergence.data.Npy;
import org.emergence.data.NpyHeader;

/**
 * The storage every executor and the driver share: a directory given as a plain path (local disk in
 * {@code local[*]}, or a network file system mounted at the same path everywhere) or as a Hadoop
 * file-system URI ({@code file:}, {@code hdfs:}, {@code s3a:} …, through Hadoop's FileSystem API with
 * the cluster's configuration). Names are relative, '/'-separated.
 *
 * <p>Every file appears whole or not at all: it is written under a temporary name and renamed (atomic
 * on local and HDFS file systems; on object stores the upload itself is all-or-nothing). Files with
 * {@code .tmp-} in their name are never read. Arrays are .npy files; positioned reads fetch one
 * position's rows without reading the rest.
 */
final class SharedStore implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String root;
    /** null: a plain path, handled with java.nio; else a Hadoop file-system URI */
    private final String uri;
    private transient FileSystem fs;

    SharedStore(String location) {
        URI u;
        try {
            u = URI.create(location);
        } catch (IllegalArgumentException e) {
            u = null;
        }
        boolean hadoop = u != null && u.getScheme() != null && u.getScheme().length() > 1; // "C:" is a drive, not a scheme
        this.uri = hadoop ? location.replaceAll("/+$", "") : null;
        this.root = hadoop ? null : Path.of(location).toAbsolutePath().normalize().toString();
    }

    String location() {
        return uri != null ? uri : root;
    }

    private Path local(String name) {
        return Path.of(root).resolve(name);
    }

    private org.apache.hadoop.fs.Path hpath(String name) {
        return new org.apache.hadoop.fs.Path(uri + "/" + name);
    }

    private FileSystem fs() throws IOException {
        if (fs == null) {
            fs = hpath("").getFileSystem(new Configuration());
            // the local file system's .crc side files would double every file; atomic renames already guard them
            if (fs instanceof LocalFileSystem l) {
                l.setWriteChecksum(false);
                l.setVerifyChecksum(false);
            }
        }
        return fs;
    }

    private UserError error(String name, IOException e) {
        return new UserError("--store " + location() + ": " + name + ": " + e.getMessage(), e);
    }

    boolean exists(String name) {
        try {
            return uri == null ? Files.isRegularFile(local(name)) : fs().exists(hpath(name));
        } catch (IOException e) {
            throw error(name, e);
        }
    }

    /** A file's size in bytes, or −1 when it does not exist. */
    long length(String name) {
        try {
            if (uri == null) {
                Path f = local(name);
                return Files.isRegularFile(f) ? Files.size(f) : -1;
            }
            return fs().exists(hpath(name)) ? fs().getFileStatus(hpath(name)).getLen() : -1;
        } catch (IOException e) {
            throw error(name, e);
        }
    }

    /** Removes one file if it exists. */
    void delete(String name) {
        try {
            if (uri == null) Files.deleteIfExists(local(name));
            else fs().delete(hpath(name), false);
        } catch (IOException e) {
            throw error(name, e);
        }
    }

    /** The names of the files in a directory of the store (none when it does not exist), temporaries excluded. */
    List<String> list(String dir) {
        List<String> out = new ArrayList<>();
        try {
            if (uri == null) {
                Path d = local(dir);
                if (!Files.isDirectory(d)) return out;
                try (var s = Files.list(d)) {
                    s.map(p -> p.getFileName().toString()).filter(n -> !n.contains(".tmp-")).sorted().forEach(out::add);
                }
            } else if (fs().exists(hpath(dir))) {
                for (FileStatus st : fs().listStatus(hpath(dir))) {
                    String n = st.getPath().getName();
                    if (st.isFile() && !n.contains(".tmp-")) out.add(n);
                }
                out.sort(null);
            }
        } catch (IOException e) {
            throw error(dir, e);
        }
        return out;
    }

    String readString(String name) {
        try {
            if (uri == null) return Files.readString(local(name));
            try (InputStream in = fs().open(hpath(name))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw error(name, e);
        }
    }

    void writeString(String name, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        try {
            if (uri == null) {
                AtomicFiles.writeString(local(name), text);
                return;
            }
            org.apache.hadoop.fs.Path tmp = hpath(name + ".tmp-" + UUID.randomUUID());
            try (OutputStream out = fs().create(tmp, true)) {
                out.write(b);
            }
            commit(tmp, hpath(name));
        } catch (IOException e) {
            throw error(name, e);
        }
    }

    /** Moves a finished local file into the store under {@code name} (the local file is gone afterwards). */
    void publish(Path localFile, String name) {
        try {
            if (uri == null) {
                Path target = local(name);
                Files.createDirectories(target.getParent());
                Path tmp = AtomicFiles.tempFor(target);
                Files.copy(localFile, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.commit(tmp, target);
                Files.deleteIfExists(localFile);
                return;
            }
            org.apache.hadoop.fs.Path tmp = hpath(name + ".tmp-" + UUID.randomUUID());
            fs().copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(localFile.toUri()), tmp);
            commit(tmp, hpath(name));
        } catch (IOException e) {
            throw error(name, e);
        }
    }

    private void commit(org.apache.hadoop.fs.Path tmp, org.apache.hadoop.fs.Path target) throws IOException {
        // a speculative or retried task may have published the same (identical) file first
        if (fs().exists(target)) fs().delete(target, false);
        if (!fs().rename(tmp, target)) {
            fs().delete(tmp, false);
            if (!fs().exists(target)) throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /** Removes a directory of the store and everything in it. */
    void deleteDir(String dir) {
        try {
            if (uri == null) {
                Path d = local(dir);
                if (!Files.isDirectory(d)) return;
                try (var s = Files.walk(d)) {
                    for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
                }
            } else {
                fs().delete(hpath(dir), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} float32 elements from element {@code from} of a float32 .npy file of the store
     * written by this backend (header as {@link Npy#headerBytes} writes it for {@code shape}).
     */
    float[] readFloats(String name, long[] shape, long from, int count) {
        if (uri == null) {
            Path f = local(name);
            NpyHeader h = Npy.header(f);
            if (h.dtype() != DType.F4 || !java.util.Arrays.equals(h.shape(), shape)) {
                throw new UserError(f + ": expected float32 " + java.util.Arrays.toString(shape) + ", found " + h
                        + " (the store holds another run's files: use another --store)");
            }
            return Npy.readFloats(f, h, from, count);
        }
        long offset = Npy.headerBytes(DType.F4, shape).length;
        long expected = offset + 4L * java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact);
        byte[] b = new byte[Math.multiplyExact(count, 4)];
        try {
            long len = fs().getFileStatus(hpath(name)).getLen();
            if (len != expected) {
                throw new UserError(location() + "/" + name + ": " + len + " bytes, expected " + expected
                        + " for float32 " + java.util.Arrays.toString(shape) + " (the store holds another run's files: use another --store)");
            }
            try (FSDataInputStream in = fs().open(hpath(name))) {
                in.readFully(offset + 4L * from, b);
            }
        } catch (IOException e) {
            throw error(name, e);
        }
        float[] out = new float[count];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** A whole float32 .npy file of the store. */
    float[] readFloats(String name, long[] shape) {
        return readFloats(name, shape, 0, Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact)));
    }
}
