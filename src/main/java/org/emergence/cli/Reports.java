package org.emergence.cli;

import java.nio.file.Path;

/** Builds the HTML report of a run directory (charts + report.html); null when reports are unavailable. */
final class Reports {
    private Reports() {}

    static Path build(Path runDir) {
        return null; // wired to org.emergence.report when that package lands
    }
}
