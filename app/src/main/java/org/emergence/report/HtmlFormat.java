package org.emergence.report;

import org.emergence.ie.RunSummary;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Map;
import org.emergence.ie.RunSummary.Val;

import static org.emergence.report.Pages.escape;

/** How the report writes numbers, intervals, durations and key–value tables as HTML. */
final class HtmlFormat {
    private HtmlFormat() {}


    static void kvTable(StringBuilder h, JsonNode obj) {
        h.append("<table class=\"kv\">\n");
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            row(h, "<code>" + escape(e.getKey()) + "</code>", escape(textOf(e.getValue())));
        }
        h.append("</table>\n");
    }

    static void row(StringBuilder h, String keyHtml, String valueHtml) {
        h.append("<tr><th>").append(keyHtml).append("</th><td>").append(valueHtml).append("</td></tr>\n");
    }

    static String textOf(JsonNode v) {
        if (v == null || v.isNull()) return "—";
        if (v.isValueNode()) return v.asText();
        if (v.isArray()) {
            boolean ints = v.size() > 2;
            for (JsonNode x : v) ints &= x.isIntegralNumber() && x.canConvertToInt();
            if (ints) {
                int[] a = new int[v.size()];
                for (int i = 0; i < a.length; i++) a[i] = v.get(i).asInt();
                return ranges(a);
            }
            // a list reads as one: "lion, tiger, wolf", so the line can wrap between items
            java.util.List<String> items = new java.util.ArrayList<>();
            for (JsonNode x : v) items.add(x.isValueNode() ? x.asText() : x.toString());
            return String.join(", ", items);
        }
        return v.toString();
    }

    static String numCell(double v) {
        return "<td class=\"num\">" + bits(v) + "</td>";
    }

    static String signClass(Val v) {
        if (!v.finite()) return "missing";
        if (v.hasInterval() && v.ciLow() > 0) return "pos";
        if (v.hasInterval() && v.ciHigh() < 0) return "neg";
        return "";
    }

    static String interval(Val v) {
        if (!v.present() || !v.hasInterval()) return "<span class=\"missing\">&mdash;</span>";
        return "[" + bits(v.ciLow()) + ", " + bits(v.ciHigh()) + "]";
    }

    /** Bits with three decimals; "—" when missing, ∞ when infinite. */
    static String bits(double v) {
        if (Double.isNaN(v)) return "<span class=\"missing\">&mdash;</span>";
        if (v == Double.POSITIVE_INFINITY) return "&infin;";
        if (v == Double.NEGATIVE_INFINITY) return "&minus;&infin;";
        String t = Math.abs(v) >= 1e6 ? String.format(Locale.ROOT, "%.3e", v) : String.format(Locale.ROOT, "%.3f", v);
        if (t.equals("-0.000")) t = "0.000";
        return t.startsWith("-") ? "&minus;" + t.substring(1) : t;
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "&mdash;";
        if (seconds < 120) return String.format(Locale.ROOT, "%.1f s", seconds);
        long s = Math.round(seconds);
        if (s < 7200) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** "0–3, 7, 9–15" for sorted runs of consecutive integers. */
    static String ranges(int[] v) {
        if (v.length == 0) return "none";
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[j + 1] == v[j] + 1) j++;
            if (b.length() > 0) b.append(", ");
            b.append(v[i]);
            if (j > i) b.append(j == i + 1 ? ", " : "–").append(v[j]);
            i = j + 1;
        }
        return b.toString();
    }

    static String or(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s;
    }
}
