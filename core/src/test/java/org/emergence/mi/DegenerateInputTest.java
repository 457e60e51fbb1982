package org.emergence.mi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.emergence.common.UserError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every estimator on degenerate samples returns a finite value (and interval) with a warning, or refuses
 * with one clear line: never NaN, infinity or another exception.
 */
class DegenerateInputTest {
    static final String[] SPECS = {"gaussian", "gaussian-copula", "ksg", "discrete-exact", "mine:steps=60:evalevery=20",
        "smile:steps=60:evalevery=20", "infonce:steps=60:evalevery=20", "infonce:steps=30:critic=concat:batch=16",
        "mine:steps=30:critic=separable", "mine-paper:steps=5:widths=8/4", "auto"};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String s : SPECS) {
            for (String c : new String[] {"constant-columns", "constant-variable", "few-distinct-rows", "duplicates", "identical"}) {
                out.add(Arguments.of(s, c));
            }
        }
        return out.stream();
    }

    static Matrix[] sample(String kind) {
        int n = 300;
        switch (kind) {
            case "constant-columns" -> {
                Matrix[] xy = TestData.correlated(n, 4, 2, 0.7, 1);
                for (int i = 0; i < n; i++) {
                    xy[0].set(i, 1, 3f);
                    xy[1].set(i, 3, -1f);
                }
                return xy;
            }
            case "constant-variable" -> {
                return new Matrix[] {TestData.gaussian(n, 3, 2), TestData.constant(n, 2, 5f)};
            }
            case "few-distinct-rows" -> {
                // 3 distinct rows in 10 dimensions, Y a deterministic function of the row
                Matrix centres = TestData.gaussian(3, 10, 3), codes = TestData.gaussian(3, 6, 4);
                Matrix x = Matrix.zeros(n, 10), y = Matrix.zeros(n, 6);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < 10; j++) x.set(i, j, centres.get(i % 3, j));
                    for (int j = 0; j < 6; j++) y.set(i, j, codes.get(i % 3, j));
                }
                return new Matrix[] {x, y};
            }
            case "duplicates" -> {
                // every row twice
                Matrix[] xy = TestData.correlated(n / 2, 3, 2, 0.6, 5);
                int[] idx = new int[n];
                for (int i = 0; i < n; i++) idx[i] = i / 2;
                return new Matrix[] {xy[0].select(idx), xy[1].select(idx)};
            }
            default -> {
                // Y is an exact copy of X: the true MI is infinite
                Matrix x = TestData.gaussian(n, 3, 6);
                return new Matrix[] {x, new Matrix(x.data().clone(), n, 3)};
            }
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void finiteWithWarningOrOneLineRefusal(String spec, String kind) {
        Matrix[] xy = sample(kind);
        Estimate e;
        try {
            e = Estimators.get(spec).estimate(xy[0], xy[1], 1);
        } catch (UserError err) {
            assertFalse(err.getMessage().isBlank());
            assertFalse(err.getMessage().contains("\n"), "one line: " + err.getMessage());
            return;
        }
        assertTrue(Double.isFinite(e.nats()), spec + " " + kind + ": " + e.nats());
        assertTrue(Double.isFinite(e.ciLowNats()) && Double.isFinite(e.ciHighNats()), spec + " " + kind + " interval");
        if (kind.equals("constant-variable")) assertEquals(0, e.nats(), 0, "MI with a constant is exactly 0");
        boolean discreteUsed = e.estimator().equals("discrete-exact")
                && (int) e.diagnostics().get("distinct_xy") <= Estimators.DEFAULT_DISCRETE_FRACTION * e.n();
        if (!discreteUsed) assertFalse(e.warnings().isEmpty(), spec + " on " + kind + " should warn");
        for (Object v : e.diagnostics().values()) {
            if (v instanceof Double d) assertTrue(Double.isFinite(d), spec + " " + kind + " diagnostics " + e.diagnostics());
        }
    }
}
