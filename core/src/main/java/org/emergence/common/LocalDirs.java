package org.emergence.common;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where native libraries and caches of third-party libraries go. JavaCPP, JNA and DJL default to
 * folders in the user's home (~/.javacpp, ~/.cache/JNA, ~/.djl.ai); we keep them under the
 * system temp directory unless the user chose a place (system property or environment variable),
 * so running the tool leaves nothing in the home directory.
 *
 * <p>The temp directory is shared by every user of the machine, and this cache holds native
 * libraries that get loaded and weights that get mapped, so it must be private: it is created
 * owner-only (0700), and an existing one is used only when it is a real directory owned by this user
 * that no one else can write (a readable one is tightened to 0700). Otherwise — another user made it
 * first, or it is group/world-writable, or a symbolic link — nothing in it is trusted: the process
 * uses a fresh private directory instead (removed at exit), with a note.
 */
public final class LocalDirs {
    private LocalDirs() {}

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    private static Path checkedFor, chosen;

    /** {@code ${java.io.tmpdir}/emergence-<user>}, created private on first use (or a fresh private stand-in). */
    public static synchronized Path root() {
        String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path p = Path.of(System.getProperty("java.io.tmpdir"), "emergence-" + user).toAbsolutePath();
        if (!p.equals(checkedFor)) {
            chosen = privateDir(p);
            checkedFor = p;
        }
        return chosen;
    }

    /** {@code wanted} when it is (or can be made) a private directory of this user, else a fresh private directory beside it. */
    static Path privateDir(Path wanted) {
        try {
            if (!Files.getFileStore(existingAncestor(wanted)).supportsFileAttributeView("posix")) {
                Files.createDirectories(wanted);
                return wanted;
            }
            Files.createDirectories(wanted.getParent());
            try {
                Files.createDirectory(wanted, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.setPosixFilePermissions(wanted, OWNER_ONLY);
                return wanted;
            } catch (FileAlreadyExistsException e) {
                // checked below
            }
            String why = untrusted(wanted);
            if (why == null) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(wanted, LinkOption.NOFOLLOW_LINKS);
                if (!perms.equals(OWNER_ONLY)) Files.setPosixFilePermissions(wanted, OWNER_ONLY);
                return wanted;
            }
            Path fresh = Files.createTempDirectory(wanted.getParent(), wanted.getFileName() + "-",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(fresh, OWNER_ONLY);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(fresh)));
            System.err.println("emergence: note: the cache directory " + wanted + " " + why
                    + ", so nothing in it is trusted; using the fresh private directory " + fresh + " (removed at exit)");
            return fresh;
        } catch (IOException e) {
            throw new UserError("cannot create the cache directory " + wanted + ": " + e.getMessage(), e);
        }
    }

    /** Why a directory must not be trusted (null when it is a real directory of this user that only this user can write). */
    static String untrusted(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) return "is a symbolic link";
        if (!a.isDirectory()) return "is not a directory";
        int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        long me = myUid();
        if (me >= 0 && uid != me) return "is owned by another user (uid " + uid + ", not " + me + ")";
        Set<PosixFilePermission> perms = a.permissions();
        if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
            return "can be written by other users (mode " + PosixFilePermissions.toString(perms) + ")";
        }
        return null;
    }

    private static long myUid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getUid();
        } catch (LinkageError | RuntimeException e) {
            return -1;
        }
    }

    private static Path existingAncestor(Path p) {
        Path a = p;
        while (a != null && !Files.exists(a)) a = a.getParent();
        return a == null ? Path.of(".").toAbsolutePath() : a;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort at exit
        }
    }

    /** Sets system property {@code key} to root()/sub unless the property or env var {@code envKey} is set. */
    public static void defaultProperty(String key, String envKey, String sub) {
        if (System.getProperty(key) != null) return;
        if (envKey != null && System.getenv(envKey) != null) return;
        Path dir = root().resolve(sub);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the cache directory " + dir + ": " + e.getMessage(), e);
        }
        System.setProperty(key, dir.toString());
    }
}
