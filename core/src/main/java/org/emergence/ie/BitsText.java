package org.emergence.ie;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.emergence.mi.Estimate;

/**
 * A run reports in bits: estimator warnings, written by the MI library in nats (est/*.json keep them so), are
 * restated in bits wherever the run shows them (summary.json, results.csv, the CLI, the report).
 */
final class BitsText {
    private static final Pattern NATS = Pattern.compile("(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?) nats");
    /** "5.000 bits (5.000 bits; …" once the nats in front are converted: the bits in brackets repeat them */
    private static final Pattern REPEAT = Pattern.compile("(\\S+) bits \\(\\1 bits; ");

    private BitsText() {}

    static String of(String text) {
        if (text == null || !text.contains("nats")) return text;
        Matcher m = NATS.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            int decimals = m.group(1).contains(".") ? m.group(1).length() - m.group(1).indexOf('.') - 1 : 3;
            double bits = Double.parseDouble(m.group(1)) * Estimate.LOG2E;
            m.appendReplacement(b, Matcher.quoteReplacement(String.format(Locale.ROOT, "%." + Math.max(1, decimals) + "f bits", bits)));
        }
        m.appendTail(b);
        return REPEAT.matcher(b.toString()).replaceAll("$1 bits (");
    }
}
