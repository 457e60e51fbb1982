package org.emergence.report;

import org.jfree.chart.JFreeChart;

/**
 * What other stages' pages (validate.html, study.html) share with the run report: the same
 * escaping, style sheet and chart rendering, so every page of the tool looks and behaves alike
 * (self-contained, no scripts, nothing loaded from the network).
 */
public final class Pages {
    private Pages() {}

    /** Escapes text for element content and quoted attribute values. */
    public static String escape(String s) {
        return Html.esc(s);
    }

    /** The report's style sheet. */
    public static String css() {
        return Html.css();
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
}
