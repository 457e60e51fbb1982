package org.emergence.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.TexturePaint;
import java.awt.image.BufferedImage;
import org.jfree.chart.renderer.PaintScale;

/**
 * Diverging blue–white–red scale symmetric about 0 (pure white at 0, so a row of zeros does not read as the hatched
 * grey of cells not estimated); NaN is a hatched grey.
 */
final class DivergingScale implements PaintScale {
    private static final Color[] STOPS = {
        new Color(0x2166ac), new Color(0x92c5de), new Color(0xffffff), new Color(0xf4a582), new Color(0xb2182b)};
    static final Paint MISSING = hatch();
    private final double bound;

    DivergingScale(double bound) {
        this.bound = bound;
    }

    @Override
    public double getLowerBound() {
        return -bound;
    }

    @Override
    public double getUpperBound() {
        return bound;
    }

    @Override
    public Paint getPaint(double value) {
        if (Double.isNaN(value)) return MISSING;
        double u = (Math.max(-bound, Math.min(bound, value)) / bound + 1) / 2 * (STOPS.length - 1);
        int k = Math.min(STOPS.length - 2, (int) Math.floor(u));
        double f = u - k;
        Color a = STOPS[k], b = STOPS[k + 1];
        return new Color(mix(a.getRed(), b.getRed(), f), mix(a.getGreen(), b.getGreen(), f), mix(a.getBlue(), b.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    private static Paint hatch() {
        BufferedImage tile = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = tile.createGraphics();
        g.setColor(new Color(0xd4d4d4));
        g.fillRect(0, 0, 8, 8);
        g.setColor(new Color(0x8c8c8c));
        for (int i = 0; i < 8; i++) tile.setRGB(i, 7 - i, 0x8c8c8c);
        g.dispose();
        return new TexturePaint(tile, new Rectangle(0, 0, 8, 8));
    }
}
