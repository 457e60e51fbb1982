package org.emergence.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class ExpertRoutingTest {
    @Test
    void keepsTheTopKAndRenormalisesTheirSoftmax() {
        // row 0: experts 2 and 0 lead; row 1: a tie between 1 and 3 goes to the lower index first
        FloatBuffer logits = FloatBuffer.wrap(new float[] {1f, 0f, 2f, -1f, 0f, 3f, 0f, 3f});
        ExpertRouting r = ExpertRouting.route(logits, 2, 4, 2);
        assertArrayEquals(new int[] {2, 0}, r.chosen()[0]);
        assertArrayEquals(new int[] {1, 3}, r.chosen()[1]);
        // softmax restricted to the kept pair: e^2 / (e^2 + e^1)
        double w = Math.exp(2) / (Math.exp(2) + Math.exp(1));
        assertEquals(w, r.weight()[0][0], 1e-6);
        assertEquals(1 - w, r.weight()[0][1], 1e-6);
        assertEquals(0.5, r.weight()[1][0], 1e-6);
        assertEquals(0.5, r.weight()[1][1], 1e-6);
    }
}
