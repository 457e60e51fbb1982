package org.emergence.report;

import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import org.emergence.common.LocalDirs;

/**
 * Initialises Java's font configuration once, before the first chart, with {@code user.home}
 * pointing at the tool's cache directory: on Linux the JDK writes a font-configuration cache
 * ({@code ~/.java/fonts/<version>/fcinfo-*.properties}) there on first use, and nothing of this tool
 * may be written to the user's home. The property is restored at once; fonts are initialised once
 * per JVM, so later code never writes the file.
 */
final class Fonts {
    private Fonts() {}

    private static boolean done;

    static synchronized void init() {
        if (done) return;
        done = true;
        String home = System.getProperty("user.home");
        try {
            System.setProperty("user.home", LocalDirs.root().resolve("java-home").toString());
            GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames();
            BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            img.createGraphics().getFontMetrics(new Font(Font.SANS_SERIF, Font.PLAIN, 12)).stringWidth("emergence");
        } finally {
            if (home != null) System.setProperty("user.home", home);
        }
    }
}
