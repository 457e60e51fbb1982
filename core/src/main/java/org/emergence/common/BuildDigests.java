package org.emergence.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Build step (run by Maven in {@code process-classes}, see core/pom.xml and models/tinylm/pom.xml):
 * records the size and SHA-256 of every file the tool later copies out of a jar into its cache and
 * then loads or maps — the native libraries (DJL's tokenizers library, JavaCPP's OpenBLAS) and the
 * built-in models' weights. Core records its dependency jars' files in {@code target/classes/}{@value
 * CacheDigests#RESOURCE}; the tinylm weights module records its own files in {@code
 * tinylm/cache-digests.tsv}. At run time a cached copy is checked against these records before use
 * ({@link CacheDigests}).
 *
 * <p>Arguments: the output file, the module's classes directory, a file holding the runtime classpath
 * (Maven's {@code dependency:build-classpath} output; {@code -} for none), and the file name of the
 * module's jar (what the classes directory becomes). It needs only the JDK, so the weights module runs
 * it as a source file ({@code java BuildDigests.java ...}) without depending on core.
 */
public final class BuildDigests {
    private BuildDigests() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]), classes = Path.of(args[1]);
        String cp = args[2].equals("-") ? "" : Files.readString(Path.of(args[2])).strip();
        String ownJar = args.length > 3 ? args[3] : "emergence.jar";
        TreeMap<String, String> rows = new TreeMap<>();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (e.isEmpty() || !e.endsWith(".jar") || !Files.isRegularFile(Path.of(e))) continue;
            String jarName = Path.of(e).getFileName().toString();
            try (JarFile jar = new JarFile(e)) {
                for (Enumeration<JarEntry> en = jar.entries(); en.hasMoreElements(); ) {
                    JarEntry je = en.nextElement();
                    if (je.isDirectory() || !recorded(je.getName())) continue;
                    try (InputStream in = jar.getInputStream(je)) {
                        rows.put(je.getName() + "\t" + jarName, digest(in));
                    }
                }
            }
        }
        if (Files.isDirectory(classes)) {
            List<Path> files = new ArrayList<>();
            try (Stream<Path> s = Files.walk(classes)) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
            for (Path f : files) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (!recorded(name)) continue;
                try (InputStream in = Files.newInputStream(f)) {
                    rows.put(name + "\t" + ownJar, digest(in));
                }
            }
        }
        StringBuilder b = new StringBuilder("# resource\tjar\tbytes\tsha256 (written by org.emergence.common.BuildDigests at build time)\n");
        rows.forEach((k, v) -> b.append(k).append('\t').append(v).append('\n'));
        Files.createDirectories(out.getParent());
        Files.writeString(out, b.toString(), StandardCharsets.UTF_8);
        System.out.println("BuildDigests: " + rows.size() + " cached resources recorded in " + out);
    }

    /** Which resources the build records: native libraries and the built-in models' files. */
    static boolean recorded(String name) {
        if (name.startsWith("native/lib/") && !name.endsWith(".properties")) return true;
        if (name.startsWith("org/bytedeco/") && name.matches(".*/(linux|macosx|windows)-[^/]+/[^/]+\\.(so(\\.[0-9]+)*|dylib|dll)")) return true;
        if (!name.contains("/") && (name.endsWith(".onnx") || name.endsWith("-tokenizer.json"))) return true;
        return name.matches("tinylm/([^/]+/)?(model\\.safetensors|config\\.json|tokenizer\\.json)");
    }

    private static String digest(InputStream in) throws IOException, java.security.NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; n += r) md.update(buf, 0, r);
        return n + "\t" + HexFormat.of().formatHex(md.digest());
    }
}
