package org.emergence.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium driven over the W3C WebDriver protocol (Debian's chromium and chromium-driver; no Selenium):
 * loads a local page at a given viewport width, measures its layout with a script (evaluated by the driver, so the
 * page's Content-Security-Policy, which forbids scripts, stays as it is) and takes full-page screenshots. Started
 * with a fresh profile under /tmp and every background network feature off. When Chromium is missing the caller's
 * test is skipped with a message — unless {@code EMERGENCE_REQUIRE_BROWSER=1} (set by .ci/run), where it fails.
 */
final class Browser implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars", "--force-device-scale-factor=1");

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final String session;
    private final Path profile;

    private Browser(Process driver, String base, String session, Path profile) {
        this.driver = driver;
        this.base = base;
        this.session = session;
        this.profile = profile;
    }

    static String binary(String env, String... candidates) {
        String v = System.getenv(env);
        if (v != null && !v.isBlank()) return v;
        for (String c : candidates) if (Files.isExecutable(Path.of(c))) return c;
        return null;
    }

    /** A browser session, or the test is skipped (failed under EMERGENCE_REQUIRE_BROWSER=1) when Chromium is not installed. */
    static Browser start() throws IOException, InterruptedException {
        String chromium = binary("EMERGENCE_CHROMIUM", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
        String chromedriver = binary("EMERGENCE_CHROMEDRIVER", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
        if (chromium == null || chromedriver == null) {
            String why = "headless Chromium not found (apt-get install chromium chromium-driver; .ci/run installs them)";
            if ("1".equals(System.getenv("EMERGENCE_REQUIRE_BROWSER"))) throw new AssertionError(why);
            Assumptions.abort(why);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(chromedriver, "--port=" + port).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; ; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode() == 200) break;
            } catch (IOException e) {
                if (i > 100) {
                    p.destroyForcibly();
                    throw new IOException("chromedriver did not start on port " + port, e);
                }
            }
            Thread.sleep(100);
        }
        Path profile = Files.createTempDirectory("emergence-chromium-");
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode opts = caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                .putObject("goog:chromeOptions").put("binary", chromium);
        var a = opts.putArray("args");
        ARGS.forEach(a::add);
        a.add("--user-data-dir=" + profile);
        JsonNode r = post(http, base + "/session", caps);
        String id = r.path("value").path("sessionId").asText(null);
        if (id == null) {
            p.destroyForcibly();
            throw new IOException("chromedriver refused the session: " + r);
        }
        return new Browser(p, base, id, profile);
    }

    private static JsonNode post(HttpClient http, String url, JsonNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).timeout(Duration.ofSeconds(120)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode j = JSON.readTree(r.body());
        if (r.statusCode() != 200) throw new IOException("webdriver " + url + ": " + r.statusCode() + " " + j.path("value").path("message").asText());
        return j;
    }

    private JsonNode cdp(String cmd, ObjectNode params) throws IOException, InterruptedException {
        ObjectNode b = JSON.createObjectNode().put("cmd", cmd);
        b.set("params", params);
        return post(http, base + "/session/" + session + "/goog/cdp/execute", b).path("value");
    }

    /** Opens a local file at a viewport {@code width} CSS pixels wide. */
    void open(Path page, int width) throws IOException, InterruptedException {
        cdp("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", width).put("height", 900)
                .put("deviceScaleFactor", 1).put("mobile", false));
        post(http, base + "/session/" + session + "/url", JSON.createObjectNode().put("url", page.toAbsolutePath().toUri().toString()));
    }

    /** Evaluates {@code script} (a function body that returns a JSON-able value) in the page. */
    JsonNode eval(String script) throws IOException, InterruptedException {
        ObjectNode b = JSON.createObjectNode().put("script", script);
        b.putArray("args");
        return post(http, base + "/session/" + session + "/execute/sync", b).path("value");
    }

    /**
     * What sticks out to the right of the viewport: the page's scroll width against its client width, and the
     * elements (tag and the start of their text) whose box ends beyond it. Empty {@code offenders} and equal widths:
     * no horizontal overflow.
     */
    JsonNode overflow() throws IOException, InterruptedException {
        return eval("const w = document.documentElement.clientWidth; const out = [];"
                + "for (const e of document.querySelectorAll('body *')) { const r = e.getBoundingClientRect();"
                + "  if (r.width > 0 && r.right > w + 0.5) out.push(e.tagName + ' ' + (e.getAttribute('id') || '') + ' '"
                + "    + (e.textContent || e.getAttribute('alt') || '').replace(/\\s+/g, ' ').trim().slice(0, 80)); }"
                + "return {scrollWidth: document.documentElement.scrollWidth, clientWidth: w, offenders: out.slice(0, 20)};");
    }

    /** A PNG of the whole page (beyond the viewport) at the current width. */
    byte[] screenshot() throws IOException, InterruptedException {
        JsonNode v = cdp("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
        return Base64.getDecoder().decode(v.path("data").asText());
    }

    @Override
    public void close() {
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/session/" + session)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException ignored) {
            // the driver is stopped below either way
        }
        driver.destroy();
        try {
            if (!driver.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) driver.destroyForcibly();
        } catch (InterruptedException e) {
            driver.destroyForcibly();
        }
        try (var s = Files.walk(profile)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary profile; best effort
        }
    }
}
