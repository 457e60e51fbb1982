package org.emergence.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.stream.Stream;
import org.emergence.TestFiles;
import org.emergence.common.UserError;

/**
 * A Spark standalone cluster on this machine, started from the Spark jars the build put in
 * target/spark-lib (no Spark installation): a master and worker JVMs on 127.0.0.1, as
 * {@code start-master.sh} / {@code start-worker.sh} would run them, and jobs submitted to
 * {@code spark://127.0.0.1:PORT} through {@code SparkSubmit} (what {@code spark-submit} runs), the
 * backend shipped to the executors as an application jar plus {@code --jars}.
 */
final class StandaloneCluster implements AutoCloseable {
    final Path dir, sparkHome, appJar;
    final int port;
    final String url;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private int workerCount;

    StandaloneCluster(Path dir) throws Exception {
        this.dir = dir;
        Path lib = Path.of("target", "spark-lib").toAbsolutePath();
        if (!Files.isDirectory(lib)) throw new IllegalStateException(lib + " is missing: run with -Pspark (it copies Spark's jars there)");
        // SPARK_HOME/jars is where a worker takes the executors' classpath from
        sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        try (Stream<Path> s = Files.list(lib)) {
            for (Path j : (Iterable<Path>) s::iterator) Files.createSymbolicLink(jars.resolve(j.getFileName()), j);
        }
        // a Spark distribution also ships these, which the build counts as the core's own dependencies
        try (Stream<Path> s = Files.list(Path.of("target", "lib").toAbsolutePath())) {
            for (Path j : (Iterable<Path>) s::iterator) {
                String n = j.getFileName().toString();
                if (n.startsWith("slf4j-api-") || n.startsWith("jackson-")) Files.createSymbolicLink(jars.resolve(n), j);
            }
        }
        appJar = appJar(dir.resolve("emergence-app.jar"));
        port = freePort();
        url = "spark://127.0.0.1:" + port;
        master = start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--webui-port", String.valueOf(freePort())));
        // whatever happens to the test, no daemon outlives its JVM
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        try {
            waitFor(() -> listening(port), 600, "the master to listen on " + port);
            addWorker();
            addWorker();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Starts one more worker (1 core) and waits until the master has registered it. */
    void addWorker() throws Exception {
        int k = ++workerCount;
        Path work = Files.createDirectories(dir.resolve("worker-" + k));
        workers.add(start("worker-" + k, List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "1", "--memory",
                "2g", "--work-dir", work.toString(), "--webui-port", String.valueOf(freePort()), url)));
        waitFor(() -> masterLog().split("Registering worker", -1).length - 1 >= k, 600, "worker " + k + " to register");
    }

    /** SIGKILL of a worker JVM (its executors notice and exit). */
    void killWorker(int index) throws InterruptedException {
        workers.get(index).destroyForcibly().waitFor();
    }

    String masterLog() {
        try {
            return Files.readString(dir.resolve("master.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** Submits the backend with these arguments, as spark-submit does; returns the driver's process (output in {@code log}). */
    Process submit(Path cwd, Path log, List<String> args) throws IOException {
        List<String> deps = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("target", "lib"))) {
            // third-party jars only: the project's own classes (core, the tinylm weights, the app) are the application jar
            s.filter(p -> p.toString().endsWith(".jar") && !p.getFileName().toString().startsWith("emergence-"))
                    .forEach(p -> deps.add(p.toAbsolutePath().toString()));
        }
        String opts = "--enable-native-access=ALL-UNNAMED -Djava.awt.headless=true";
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx1g", "@" + TestFiles.repo("spark", "java-options"), "-cp",
                sparkHome.resolve("jars") + "/*", "org.apache.spark.deploy.SparkSubmit", "--class", SparkMain.class.getName(),
                "--master", url, "--jars", String.join(",", deps), "--conf", "spark.executor.extraJavaOptions=" + opts,
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.ui.enabled=false",
                "--executor-memory", "1g", appJar.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        env(pb.environment());
        return pb.start();
    }

    private Process start(String name, List<String> mainAndArgs) throws IOException {
        // small daemons: C1 only and the serial collector start fastest and leave the cores to the job
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "@" + TestFiles.repo("spark", "java-options"), "-cp",
                sparkHome.resolve("jars") + "/*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        env(pb.environment());
        return pb.start();
    }

    private void env(Map<String, String> env) {
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.remove("SPARK_CONF_DIR");
    }

    /**
     * The backend's application jar: the three modules as this test sees them — core with its digests, the tinylm
     * weights with theirs, the app with org.emergence.spark — each a classes folder (the reactor build) or a jar.
     */
    private static Path appJar(Path jar) throws IOException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path from : List.of(locationOf(UserError.class.getName().replace('.', '/') + ".class"),
                    locationOf(SparkMain.class.getName().replace('.', '/') + ".class"), locationOf("tinylm/index.json"))) {
                if (Files.isDirectory(from)) {
                    try (Stream<Path> s = Files.walk(from)) {
                        for (Path p : (Iterable<Path>) s::iterator) {
                            if (!Files.isRegularFile(p)) continue;
                            String name = from.relativize(p).toString().replace('\\', '/');
                            if (!seen.add(name)) continue;
                            out.putNextEntry(new ZipEntry(name));
                            Files.copy(p, out);
                            out.closeEntry();
                        }
                    }
                } else {
                    try (java.util.jar.JarFile in = new java.util.jar.JarFile(from.toFile())) {
                        for (var en = in.entries(); en.hasMoreElements(); ) {
                            var e = en.nextElement();
                            if (e.isDirectory() || e.getName().startsWith("META-INF/") || !seen.add(e.getName())) continue;
                            out.putNextEntry(new ZipEntry(e.getName()));
                            try (var is = in.getInputStream(e)) {
                                is.transferTo(out);
                            }
                            out.closeEntry();
                        }
                    }
                }
            }
        }
        return jar;
    }

    /** The classes folder or jar on the test class path that holds {@code resource}. */
    private static Path locationOf(String resource) {
        java.net.URL u = StandaloneCluster.class.getClassLoader().getResource(resource);
        if (u == null) throw new IllegalStateException(resource + " is not on the test class path");
        try {
            if (u.getProtocol().equals("jar")) {
                String s = u.toString();
                return Path.of(java.net.URI.create(s.substring("jar:".length(), s.indexOf("!/"))));
            }
            Path p = Path.of(u.toURI());
            for (int i = resource.split("/").length; i > 0; i--) p = p.getParent();
            return p;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void waitFor(Check c, int seconds, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!c.ok()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
    }
}
