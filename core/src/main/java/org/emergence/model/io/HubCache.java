package org.emergence.model.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.emergence.common.UserError;

/**
 * Models where Hugging Face leaves them: the hub cache ({@code models--ORG--NAME/refs/<rev>} naming a
 * commit, {@code snapshots/<commit>/} holding the files). Offline only — a repo id that is not in the
 * cache is refused with one line saying where the tool looked and how to download it elsewhere.
 *
 * <p>The cache is {@code $HF_HUB_CACHE}, else {@code $HF_HOME/hub}, else {@code ~/.cache/huggingface/hub}
 * (the same order as huggingface_hub). It is only read.
 */
public final class HubCache {
    private HubCache() {}

    /** A resolved model: the snapshot folder, and the repo id and revision it came from (null for a plain folder). */
    public record Resolved(Path dir, String repoId, String revision, String commit) {}

    /** The hub cache directory, from the environment (values injectable for tests). */
    public static Path root(String hfHubCache, String hfHome, String home) {
        if (hfHubCache != null && !hfHubCache.isBlank()) return Path.of(hfHubCache);
        if (hfHome != null && !hfHome.isBlank()) return Path.of(hfHome, "hub");
        return Path.of(home, ".cache", "huggingface", "hub");
    }

    /** The cache of this process: the environment (or the same names as system properties, which win, e.g. in tests). */
    public static Path root() {
        return root(setting("HF_HUB_CACHE"), setting("HF_HOME"), System.getProperty("user.home"));
    }

    private static String setting(String name) {
        String p = System.getProperty(name);
        return p != null ? p : System.getenv(name);
    }

    /** Whether {@code spec} reads as a repo id: NAME or ORG/NAME, optionally @REVISION, no other path syntax. */
    public static boolean looksLikeRepoId(String spec) {
        return spec.matches("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)?(@[A-Za-z0-9._/-]+)?");
    }

    /** A repo folder of the cache (holding refs/ and snapshots/), resolved to its snapshot for {@code revision} (null: main). */
    public static Resolved resolveRepoFolder(Path repo, String revision) {
        String name = repo.getFileName().toString();
        String id = name.startsWith("models--") ? name.substring("models--".length()).replace("--", "/") : name;
        return resolve(repo, id, revision);
    }

    /** A repo id (ORG/NAME or NAME, with @REV or a separate revision) in the cache at {@code root}. */
    public static Resolved resolveId(String spec, String revision, Path root) {
        String id = spec, rev = revision;
        int at = spec.indexOf('@');
        if (at > 0) {
            id = spec.substring(0, at);
            if (rev != null && !rev.equals(spec.substring(at + 1))) {
                throw new UserError(spec + ": the revision in the id and --revision " + rev + " disagree");
            }
            rev = spec.substring(at + 1);
        }
        Path repo = root.resolve("models--" + id.replace("/", "--"));
        if (!Files.isDirectory(repo)) {
            throw new UserError(id + ": not a directory, not a built-in model, and not in the Hugging Face cache (looked for "
                    + repo + "; set HF_HUB_CACHE or HF_HOME if the cache is elsewhere); this tool never downloads: on a machine "
                    + "with network run `huggingface-cli download " + id + "` and copy the cache folder here, or pass a model directory");
        }
        return resolve(repo, id, rev);
    }

    /** A branch or tag name (segments of letters, digits, '.', '_', '-', joined by '/'; no '.' or '..' segment), or a commit. */
    static boolean safeRevision(String rev) {
        if (rev.isEmpty() || rev.length() > 255 || !rev.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")) return false;
        for (String seg : rev.split("/")) if (seg.equals(".") || seg.equals("..")) return false;
        return true;
    }

    /** The largest refs file read: it holds a 40-hex-digit commit. */
    private static final long MAX_REF_BYTES = 256;

    private static Resolved resolve(Path repo, String id, String revision) {
        String rev = revision == null ? "main" : revision;
        if (!safeRevision(rev)) {
            throw new UserError(id + ": revision '" + rev + "' is not a branch, tag or commit name (letters, digits, '.', '_', '-' "
                    + "and '/' between names; no '..', no absolute path)");
        }
        Path snapshots = repo.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) throw new UserError(repo + ": a Hugging Face cache folder without snapshots/ (incomplete download?)");
        Path ref = repo.resolve("refs").resolve(rev);
        String commit;
        try {
            if (Files.isSymbolicLink(ref)) {
                throw new UserError(ref + ": is a symbolic link; a refs file of the Hugging Face cache is a plain file naming a commit");
            } else if (Files.isRegularFile(ref)) {
                if (Files.size(ref) > MAX_REF_BYTES) {
                    throw new UserError(ref + ": " + Files.size(ref) + " bytes, not a refs file (which names one commit)");
                }
                commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
            } else if (Files.isDirectory(snapshots.resolve(rev)) && !rev.contains("/")) {
                commit = rev; // a commit hash given directly
            } else {
                throw new UserError(id + ": revision '" + rev + "' is not in the cache (" + repo + " has refs " + list(repo.resolve("refs"))
                        + " and snapshots " + list(snapshots) + ")");
            }
        } catch (IOException e) {
            throw new UserError(ref + ": cannot read (" + e.getMessage() + ")", e);
        }
        // a commit is one folder name under snapshots/: never a path that leads elsewhere
        if (!commit.matches("[0-9a-fA-F]{7,64}") && !(commit.matches("[A-Za-z0-9._-]{1,64}") && !commit.matches("\\.+")
                && Files.isDirectory(snapshots.resolve(commit)))) {
            throw new UserError(ref + ": does not name a commit (" + commit.length() + " characters"
                    + (commit.matches("[A-Za-z0-9._-]{1,64}") ? " '" + commit + "'" : ", not a commit hash") + ")");
        }
        Path dir = snapshots.resolve(commit);
        if (!dir.normalize().startsWith(snapshots.normalize())) throw new UserError(ref + ": names a folder outside " + snapshots);
        if (!Files.isDirectory(dir)) {
            throw new UserError(id + ": refs/" + rev + " names commit " + commit + ", but " + dir + " is missing (incomplete download?)");
        }
        return new Resolved(dir, id, rev, commit);
    }

    private static List<String> list(Path d) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(d)) return out;
        try (Stream<Path> s = Files.walk(d, 3)) {
            for (Path p : (Iterable<Path>) s::iterator) if (!p.equals(d)) out.add(d.relativize(p).toString());
        }
        return out;
    }

    /** Whether a directory is a cache repo folder (refs/ and snapshots/, no config.json of its own). */
    public static boolean isRepoFolder(Path dir) {
        return Files.isDirectory(dir.resolve("snapshots")) && !Files.isRegularFile(dir.resolve("config.json"));
    }
}
