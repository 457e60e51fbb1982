package org.emergence.validate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One validity control: a question with an expected answer, the measured numbers, the rule that
 * decides PASS or FAIL, and the verdict. {@code value}/{@code low}/{@code high} is the control's
 * headline number (a difference in bits, a ratio …) with its interval when it has one (95% for differences and
 * IEs; the ratio of interval_calibration has a 90% interval); {@code measured} names that number and quotes it with
 * its interval, and is what the command line and validate.html show.
 */
public record Control(String name, String question, String rule, String measured, double value, double low, double high,
                      String method, boolean pass, List<String> details) {

    public String verdict() {
        return pass ? "PASS" : "FAIL";
    }

    ObjectNode json(ObjectNode o) {
        o.put("name", name);
        o.put("question", question);
        o.put("rule", rule);
        o.put("measured", measured);
        put(o, "value", value);
        put(o, "ci_low", low);
        put(o, "ci_high", high);
        o.put("method", method);
        o.put("verdict", verdict());
        var d = o.putArray("details");
        for (String s : details) d.add(s);
        return o;
    }

    private static void put(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }

    static String bits(double v, double lo, double hi) {
        return Double.isFinite(lo) ? String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", v, lo, hi)
                : String.format(Locale.ROOT, "%+.3f", v);
    }

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

        Control done(String measured, double value, double low, double high, String method, boolean pass) {
            return new Control(name, question, rule, measured, value, low, high, method, pass, List.copyOf(details));
        }
    }
}
