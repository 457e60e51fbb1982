package org.emergence.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one validity control found: a question with an expected answer, the measured numbers, the rule that decides
 * PASS or FAIL, and the verdict. {@code value}/{@code low}/{@code high} is the control's headline number (a difference
 * in bits, a ratio …) with its interval when it has one (95% for differences and IEs; the ratio of interval_calibration
 * has a 90% interval); {@code measured} names that number and quotes it with its interval, and is what the command line
 * and validate.html show.
 */
public record Verdict(String name, String question, String rule, String measured, double value, double low, double high,
                      String method, boolean pass, List<String> details) {
    public Verdict {
        details = List.copyOf(details);
    }

    public String verdict() {
        return pass ? "PASS" : "FAIL";
    }

    /** A difference in bits with its interval, "+0.123 [+0.010, +0.236]", or the value alone without one. */
    static String bits(double v, double lo, double hi) {
        return Double.isFinite(lo) ? String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", v, lo, hi)
                : String.format(Locale.ROOT, "%+.3f", v);
    }

    /** A verdict built up detail by detail. */
    static final class Builder {
        final String name, question, rule;
        final List<String> details = new ArrayList<>();

        Builder(String name, String question, String rule) {
            this.name = name;
            this.question = question;
            this.rule = rule;
        }

        Builder detail(String fmt, Object... args) {
            details.add(String.format(Locale.ROOT, fmt, args));
            return this;
        }

        Verdict done(String measured, double value, double low, double high, String method, boolean pass) {
            return new Verdict(name, question, rule, measured, value, low, high, method, pass, details);
        }
    }
}
