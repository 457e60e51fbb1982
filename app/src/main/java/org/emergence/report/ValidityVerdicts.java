package org.emergence.report;

import java.util.List;

/**
 * The shipped validity verdicts ({@code org/emergence/report/validity.json}, read and written by {@link ValidityJson}):
 * the measurements that were validated, one verdict per built-in model and measurement, and a note for the report.
 */
record ValidityVerdicts(List<String> measurements, List<Verdict> models, String note) {
    ValidityVerdicts {
        measurements = measurements == null ? List.of() : List.copyOf(measurements);
        models = models == null ? List.of() : List.copyOf(models);
        note = note == null ? "" : note;
    }

    /**
     * The controls of {@code emergence validate} for one model under one measurement.
     *
     * @param names  the model's names (a built-in model and its aliases)
     * @param model  how the report names it, with the data it was validated on
     * @param failed one line per failed control
     */
    record Verdict(List<String> names, String measurement, String model, int passed, int total, List<String> failed) {
        Verdict {
            names = names == null ? List.of() : List.copyOf(names);
            failed = failed == null ? List.of() : List.copyOf(failed);
            measurement = measurement == null ? "" : measurement;
            model = model == null ? "" : model;
        }
    }

    /** The verdict for a model (by any of its names) measured as {@code measurement}, or null when none was shipped. */
    Verdict entry(String model, String measurement) {
        if (model == null || measurement == null) return null;
        for (Verdict v : models) if (measurement.equals(v.measurement()) && v.names().contains(model)) return v;
        return null;
    }
}
