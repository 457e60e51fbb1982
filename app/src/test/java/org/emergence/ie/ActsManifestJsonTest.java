package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.emergence.TestFiles;
import org.emergence.common.UserError;
import org.junit.jupiter.api.Test;

/** manifest.json of an activation layout: what is written is read back whole; optional keys may be absent. */
class ActsManifestJsonTest {
    @Test
    void writtenManifestsReadBack() throws Exception {
        Path d = TestFiles.tempDir("acts-manifest");
        ActsManifest m = new ActsManifest(ActsManifest.FORMAT, "tinylm", "gpt2", true, 192, new int[] {0, 1, 3}, "original", true,
                "icl:animal", false, "emergence test");
        ActsManifestJson.write(d, m);
        ActsManifest back = ActsManifestJson.read(d.resolve(ActsManifestJson.FILE));
        assertEquals(ActsManifestJson.json(m), ActsManifestJson.json(back));
        assertArrayEquals(new int[] {0, 1, 3}, back.layers());
        // a hand-written manifest without the optional keys
        Files.writeString(d.resolve(ActsManifestJson.FILE), "{\"format\": \"emergence-acts/1\", \"model\": \"m\", \"model_type\": \"gpt2\", "
                + "\"causal\": false, \"hidden\": 8, \"layers\": [2, 1], \"micro_position\": \"zero\"}");
        ActsManifest hand = ActsManifestJson.read(d.resolve(ActsManifestJson.FILE));
        assertArrayEquals(new int[] {1, 2}, hand.layers(), "ascending");
        assertNull(hand.dataset());
        assertNull(hand.source());
        Files.writeString(d.resolve(ActsManifestJson.FILE), "{\"format\": \"emergence-acts/1\", \"model\": \"m\", \"model_type\": \"gpt2\", "
                + "\"causal\": \"yes\", \"hidden\": 8, \"layers\": [0], \"micro_position\": \"zero\"}");
        try {
            ActsManifestJson.read(d.resolve(ActsManifestJson.FILE));
            throw new AssertionError("a non-boolean causal is refused");
        } catch (UserError e) {
            assertTrue(e.getMessage().contains("\"causal\" must be true or false"), e.getMessage());
        }
    }
}
