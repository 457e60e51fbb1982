package org.emergence.ie;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The run's warnings quote bits, as everything else it reports (the MI library's warnings say nats). */
class BitsTextTest {
    @Test
    void natsBecomeBits() {
        assertEquals("micro l0 t1: noise small next to the spacing of the samples: the estimate 5.156 bits is within 5% of the entropy "
                + "of the 38 distinct sample pairs (5.155 bits), a property of the dataset",
                BitsText.of("micro l0 t1: noise small next to the spacing of the samples: the estimate 3.574 nats is within 5% of the "
                        + "entropy of the 38 distinct sample pairs (3.573 nats), a property of the dataset"));
        assertEquals("saturated: the estimate 5.771 bits is within 10% of this estimator's ceiling 6.000 bits (ln(n_eval) for variational "
                + "bounds); the true MI may be much larger", BitsText.of("saturated: the estimate 4.000 nats is within 10% of this "
                + "estimator's ceiling 4.159 nats (6.000 bits; ln(n_eval) for variational bounds); the true MI may be much larger"));
        assertEquals("X is constant (a single distinct row): MI is exactly 0", BitsText.of("X is constant (a single distinct row): MI is exactly 0"));
    }
}
