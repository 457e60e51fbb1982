package org.emergence.report;

import org.jfree.chart.JFreeChart;

/**
 * What other stages' pages (validate.html, study.html) share with the run report: the same
 * escaping, style sheet and chart rendering, so every page of the tool looks and behaves alike
 * (self-contained, no scripts, nothing loaded from the network).
 */
public final class Pages {
    private Pages() {}

    /** Escapes text for element content and quoted attribute values; drops control characters. */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default:
                    if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) break;
                    b.append(c);
            }
        }
        return b.toString();
    }

    /** The report's style sheet. */
    public static String css() {
        return CSS;
    }

    /** The opening of a self-contained page (doctype, CSP forbidding any load but data: images, style, title). */
    public static String head(String title) {
        Fonts.init();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + css() + "</style>\n</head>\n<body>\n<main>\n";
    }

    /** A chart as PNG bytes, rendered headless. */
    public static byte[] png(JFreeChart chart, int width, int height) {
        return Charts.png(chart, width, height);
    }

    /** An inline image of PNG bytes. */
    public static String img(byte[] png, String alt) {
        return "<img alt=\"" + escape(alt) + "\" src=\"data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png) + "\">";
    }

    private static final String CSS = String.join("\n",
            ":root { color-scheme: light; }",
            "body { margin: 0; background: #f4f5f7; color: #1d1f23; font: 15px/1.5 system-ui, -apple-system, \"Segoe UI\", sans-serif; }",
            "main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }",
            "h1 { font-size: 1.6em; margin: 0.2em 0 0.3em; }",
            "h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #dde; padding-bottom: 0.2em; }",
            "h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }",
            "code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.92em; background: #f0f1f4; padding: 0 3px; border-radius: 3px; }",
            ".sub { color: #444; margin-top: 0; }",
            ".small { font-size: 0.88em; color: #555; }",
            ".box { border-radius: 6px; padding: 4px 16px; margin: 14px 0; border: 1px solid; }",
            ".box.partial { background: #fff6e0; border-color: #e0a800; }",
            ".box.warn { background: #fff8e6; border-color: #e3b341; }",
            ".box.mixed { background: #fdecea; border-color: #c62828; border-width: 2px; }",
            ".box.fail { background: #fdecea; border-color: #c62828; }",
            ".pass { color: #1b5e20; font-weight: 600; }",
            ".fail { color: #b71c1c; font-weight: 600; }",
            ".bad { color: #b71c1c; }",
            ".headline { background: #eef3fb; border-radius: 6px; padding: 6px 18px; margin: 16px 0; }",
            ".headline .ie { font-size: 1.6em; margin: 0.3em 0; }",
            ".headline .ci { font-size: 0.6em; color: #333; }",
            "figure { margin: 18px 0 26px; }",
            "figure img { max-width: 100%; height: auto; border: 1px solid #e3e4e8; }",
            "figcaption { font-size: 0.92em; color: #333; margin-top: 4px; }",
            "table { border-collapse: collapse; margin: 8px 0; font-size: 0.94em; }",
            "th, td { border-bottom: 1px solid #e3e4e8; padding: 3px 10px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }",
            "table { max-width: 100%; }",
            "p, li, dd, figcaption, code { overflow-wrap: anywhere; }",
            "code.opt { white-space: nowrap; }",
            "thead th { border-bottom: 2px solid #c8cad0; }",
            "table.kv th { font-weight: 600; white-space: nowrap; }",
            ".num { text-align: right; font-variant-numeric: tabular-nums; }",
            ".pos { color: #a3161f; font-weight: 600; }",
            ".neg { color: #1a4f94; font-weight: 600; }",
            ".missing { color: #888; }",
            "dt { font-weight: 600; margin-top: 0.6em; }",
            "dd { margin-left: 1.2em; }",
            "ul.warnings li { margin: 2px 0; }",
            "details summary { cursor: pointer; font-weight: 600; margin: 1.2em 0 0.4em; }",
            "footer { margin-top: 2.4em; border-top: 1px solid #dde; font-size: 0.88em; color: #555; }",
            "@media print { body { background: #fff; } main { max-width: none; } }",
            "");
}
