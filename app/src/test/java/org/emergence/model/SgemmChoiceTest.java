package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.emergence.TestFiles;
import org.emergence.tensor.SgemmChoice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-shape fp32 kernel: the shipped table parses, forcing oneDNN keeps every golden within tolerance. */
class SgemmChoiceTest {
    @AfterEach
    void tableAgain() {
        SgemmChoice.force("table");
    }

    @Test
    void shippedTableListsOnlyOneDnnRowsOfKnownShapeAndTheKeyIsTheRowCountsPowerOfTwo() throws Exception {
        var in = SgemmChoice.class.getResourceAsStream("sgemm-kernels.tsv");
        assertTrue(in != null, "sgemm-kernels.tsv is on the class path");
        for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            assertTrue(f.length >= 6 && f[1].matches("[TN]") && f[5].equals("onednn"), line);
        }
        assertEquals("T 64 172 m2^12", SgemmChoice.shape(true, 4608, 172, 64));
        assertEquals("N 768 2304 m2^11", SgemmChoice.shape(false, 2048, 2304, 768));
        assertEquals("N 768 2304 m2^0", SgemmChoice.shape(false, 1, 2304, 768));
    }

    @Test
    void cpuKindIsVendorFamilyModel() throws Exception {
        Path f = TestFiles.tempDir("cpuinfo").resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 143\nmodel name\t: Xeon\n");
        assertEquals("GenuineIntel/6/143", org.emergence.tensor.SgemmChoiceAccess.cpuKind(f));
        Files.writeString(f, "garbage\n");
        assertEquals("unknown", org.emergence.tensor.SgemmChoiceAccess.cpuKind(f));
    }

    /** Every product on oneDNN's fp32 matmul: the goldens of every family still match (and the kernel is recorded). */
    @Test
    void forcedOneDnnMatchesTheGoldens() {
        SgemmChoice.force("onednn");
        SgemmChoice.resetUsed();
        for (String g : new String[] {"gpt2", "llama", "gemma", "gpt_neox", "opt_proj", "phi3", "mixtral"}) {
            Path dir = TestFiles.golden(g);
            double[] r = NewFamiliesGoldenTest.compare(dir, dir, "batch_3x8");
            assertTrue(r[0] <= 0, g + ": oneDNN fp32 forward exceeds the golden tolerance by " + r[0]);
        }
        Map<String, String> used = SgemmChoice.used();
        assertTrue(used.containsValue("onednn") && !used.containsValue("openblas"), used.toString());
    }
}
