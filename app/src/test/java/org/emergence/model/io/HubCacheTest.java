package org.emergence.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.emergence.Cli;
import org.emergence.TestFiles;
import org.emergence.WordTokenizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Models laid out as the Hugging Face hub cache leaves them, resolved offline. */
class HubCacheTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @AfterEach
    void reset() {
        System.clearProperty("HF_HUB_CACHE");
        System.clearProperty("HF_HOME");
    }

    /** cache/models--org--tiny/{refs/main, snapshots/SHA/{config.json, model.safetensors, tokenizer.json}} */
    static Path fakeCache() throws Exception {
        Path cache = TestFiles.tempDir("hub");
        Path repo = cache.resolve("models--org--tiny");
        Path snap = Files.createDirectories(repo.resolve("snapshots").resolve(SHA));
        Path src = WordTokenizer.goldenWithTokenizer("gpt2", List.of());
        // the hub stores blobs and links snapshot files to them
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            Files.copy(src.resolve(f), blobs.resolve("blob-" + f));
            Files.createSymbolicLink(snap.resolve(f), Path.of("../../blobs/blob-" + f));
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs").resolve("main"), SHA);
        return cache;
    }

    @Test
    void rootFollowsHuggingFaceOrder() {
        assertEquals(Path.of("/a"), HubCache.root("/a", "/b", "/home/u"));
        assertEquals(Path.of("/b/hub"), HubCache.root(null, "/b", "/home/u"));
        assertEquals(Path.of("/home/u/.cache/huggingface/hub"), HubCache.root(null, null, "/home/u"));
    }

    @Test
    void repoIdsRepoFoldersAndSnapshotsAllRun() throws Exception {
        Path cache = fakeCache();
        System.setProperty("HF_HUB_CACHE", cache.toString());
        Path base = TestFiles.tempDir("hub-run");
        for (String model : new String[] {"org/tiny", "org/tiny@main", "org/tiny@" + SHA, cache.resolve("models--org--tiny").toString(),
            cache.resolve("models--org--tiny/snapshots/" + SHA).toString()}) {
            Path out = base.resolve("r" + Math.abs(model.hashCode()));
            Cli.run("run", "--model", model, "--dataset", "icl:animal:shots=3", "--n", "24", "--quiet", "--out", out.toString()).assertOk();
            JsonNode st = new ObjectMapper().readTree(out.resolve("settings.json").toFile());
            assertEquals(64, st.path("model_source").path("sha256").path("model.safetensors").asText().length(), st.toString());
            if (!model.contains("snapshots")) {
                assertEquals("org/tiny", st.path("model_source").path("repo_id").asText());
                assertEquals(SHA, st.path("model_source").path("commit").asText());
            }
        }
        // --revision names the same snapshot as ID@REV, and is refused where it cannot apply
        Path rev = base.resolve("rev");
        Cli.run("run", "--model", "org/tiny", "--revision", "main", "--dataset", "icl:animal:shots=3", "--n", "24", "--quiet", "--out",
                rev.toString()).assertOk();
        assertEquals("main", new ObjectMapper().readTree(rev.resolve("settings.json").toFile()).path("model_source").path("revision").asText());
        Cli.run("run", "--model", "org/tiny@main", "--revision", "v2", "--out", base.resolve("x").toString()).assertUserError("give it once");
        Cli.run("run", "--model", "minilm", "--revision", "v2", "--out", base.resolve("x").toString()).assertUserError("applies to a Hugging Face repo id");
        Cli.run("capture", "--model", "org/tiny", "--revision", "v2", "--ids", "x.npy", "--out", base.resolve("x").toString())
                .assertUserError("revision 'v2' is not in the cache");
        // HF_HOME/hub is the fallback
        System.clearProperty("HF_HUB_CACHE");
        Path home = TestFiles.tempDir("hf-home");
        Files.move(cache, home.resolve("hub"));
        System.setProperty("HF_HOME", home.toString());
        Cli.run("run", "--model", "org/tiny", "--dataset", "icl:animal:shots=3", "--n", "24", "--quiet", "--out",
                base.resolve("home").toString()).assertOk();
    }

    @Test
    void whatIsNotInTheCacheIsOneLine() throws Exception {
        Path cache = fakeCache();
        System.setProperty("HF_HUB_CACHE", cache.toString());
        Path out = TestFiles.tempDir("hub-bad").resolve("r");
        Cli.run("run", "--model", "openlm-research/open_llama_3b", "--out", out.toString())
                .assertUserError("not in the Hugging Face cache", "models--openlm-research--open_llama_3b", "huggingface-cli download");
        Cli.run("run", "--model", "org/tiny@v2", "--out", out.toString()).assertUserError("revision 'v2' is not in the cache", "main");
        // a symlink loop inside the cache
        Path snap = cache.resolve("models--org--tiny/snapshots").resolve(SHA);
        Files.delete(snap.resolve("config.json"));
        Files.createSymbolicLink(snap.resolve("config.json"), snap.resolve("config.json"));
        Cli r = Cli.run("run", "--model", "org/tiny", "--out", out.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().strip().split("\n").length == 1 && r.err().contains("config.json"), r.err());
    }

    /** Finding 6 of issue 27: revisions and refs files that led out of the cache, echoed a file, or made a 20 MB error line. */
    @Test
    void nothingLeadsOutOfTheCache() throws Exception {
        Path cache = fakeCache();
        System.setProperty("HF_HUB_CACHE", cache.toString());
        Path base = TestFiles.tempDir("hub-escape");
        // a model outside the cache that an escape would reach
        Path outside = Files.createDirectories(base.resolve("outside"));
        for (String f : new String[] {"config.json", "model.safetensors", "tokenizer.json"}) {
            Files.copy(cache.resolve("models--org--tiny/snapshots/" + SHA).resolve(f), outside.resolve(f));
        }
        String[] run = {"run", "--dataset", "icl:animal:shots=3", "--n", "24", "--quiet", "--out", base.resolve("r").toString(), "--model"};
        Cli.run(concat(run, "org/tiny", "--revision", outside.toAbsolutePath().toString())).assertUserError("is not a branch, tag or commit name");
        Cli.run(concat(run, "org/tiny@../../../../" + base.relativize(outside))).assertUserError("is not a branch, tag or commit name");
        Path refs = cache.resolve("models--org--tiny/refs/main");
        Files.writeString(refs, "../../../../outside");
        Cli.run(concat(run, "org/tiny")).assertUserError("refs/main", "does not name a commit");
        // a refs file that is a link to another file: refused without showing that file
        Path secret = Files.writeString(base.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        Files.delete(refs);
        Files.createSymbolicLink(refs, secret.toAbsolutePath());
        Cli r = Cli.run(concat(run, "org/tiny")).assertUserError("is a symbolic link");
        assertTrue(!r.err().contains("TOP-SECRET"), r.err());
        // a 20 MB refs file: a short line
        Files.delete(refs);
        Files.write(refs, new byte[20 << 20]);
        Cli big = Cli.run(concat(run, "org/tiny")).assertUserError("refs/main", "bytes");
        assertTrue(big.err().length() < 1000, "a " + big.err().length() + "-character error line");
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
