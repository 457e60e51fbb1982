package org.emergence.model.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.emergence.common.AtomicFiles;
import org.emergence.common.LocalDirs;
import org.emergence.common.UserError;

/**
 * SHA-256 of a model's weight files, recorded in settings.json and summary.json so that a result
 * names exactly the weights it came from. Hashing gigabytes takes seconds, so digests are cached in
 * {@code LocalDirs.root()/digests/}, keyed by the file's real path, size and modification time.
 */
public final class WeightDigests {
    private WeightDigests() {}

    public static String sha256(Path file) {
        try {
            Path real = file.toRealPath();
            String key = real + "|" + Files.size(real) + "|" + Files.getLastModifiedTime(real).toMillis();
            MessageDigest kd = MessageDigest.getInstance("SHA-256");
            Path cache = LocalDirs.root().resolve("digests").resolve(HexFormat.of().formatHex(kd.digest(key.getBytes(StandardCharsets.UTF_8))));
            if (Files.isRegularFile(cache)) {
                String v = Files.readString(cache).strip();
                if (v.matches("[0-9a-f]{64}")) return v;
            }
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(Files.newInputStream(real), md)) {
                byte[] buf = new byte[1 << 20];
                while (in.read(buf) >= 0) {
                    // reading feeds the digest
                }
            }
            String hex = HexFormat.of().formatHex(md.digest());
            AtomicFiles.writeString(cache, hex + "\n");
            return hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read to compute its SHA-256 (" + e.getMessage() + ")", e);
        }
    }
}
