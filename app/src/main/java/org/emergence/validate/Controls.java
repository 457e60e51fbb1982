package org.emergence.validate;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry of validity controls, in the order they are judged and written. Adding a control is one class
 * implementing {@link Control} and one line here (and, when it needs a condition no control ran before, one
 * {@code add} in {@link ValidationConditions}).
 */
final class Controls {
    private Controls() {}

    static final List<Control> ALL = List.of(
            new TrainedVsUntrained("text"),
            new TrainedVsUntrained("icl"),
            new UntrainedNearZero(),
            new NaturalVsScrambled("within"),
            new NaturalVsScrambled("position"),
            new RandomBaseline(),
            new Shift(),
            new NConvergence(),
            new SigmaRobustness(),
            new MicroResolution(),
            new IntervalCalibration());

    /** Every control's name, in order. */
    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Control c : ALL) out.add(c.name());
        return out;
    }
}
