package org.emergence.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bundled WordPiece tokenizer through DJL, with no network connection attempted. */
class TokenizerTest {
    @Test
    void tokenizesWithoutAnyNetworkAttempt() throws IOException {
        // every Java-level HTTP connection consults the default ProxySelector first; record any attempt
        List<URI> attempts = new ArrayList<>();
        ProxySelector old = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                synchronized (attempts) {
                    attempts.add(uri);
                }
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        });
        try (Tokenizer t = Tokenizer.fromStream(
                getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json"), "minilm")) {
            int[] ids = t.encode("The lion sleeps tonight.", false);
            assertEquals(5, ids.length, java.util.Arrays.toString(ids)); // the lion sleeps tonight .
            int[] withSpecial = t.encode("The lion sleeps tonight.", true);
            assertEquals(ids.length + 2, withSpecial.length); // [CLS] … [SEP]
            assertEquals("the lion sleeps tonight.", t.decode(ids));
            assertArrayEquals(new String[] {"[CLS]", "lion", "[SEP]"}, t.tokens("lion", true));
            // long inputs are not truncated
            assertTrue(t.encode("word ".repeat(1000), false).length >= 1000);
        } finally {
            ProxySelector.setDefault(old);
        }
        assertTrue(attempts.isEmpty(), "network attempted: " + attempts);
        assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
        assertEquals("true", System.getProperty("ai.djl.offline"));
        String cache = System.getProperty("DJL_CACHE_DIR");
        if (System.getenv("DJL_CACHE_DIR") == null) {
            assertTrue(cache != null && !cache.startsWith(System.getProperty("user.home")), "DJL cache outside ~: " + cache);
        }
    }
}
