package org.emergence.ie;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.emergence.common.AtomicFiles;
import org.emergence.data.Dataset;
import org.emergence.model.ModelConfig;

/**
 * The assembly of a run from its estimates, the same for every backend: the finished estimates (est/*.json) and the
 * untrained twins' (for a relative measurement) go into the summary ({@link SummaryBuilder}: E(l, t), E(l), IE(t), IE
 * with intervals), which is rewritten as each new estimate lands and concluded with summary.json, results.csv and
 * emergence.csv. A local run ({@link EmergenceRun}) adds its estimates one by one as it computes them; a backend that
 * computes them elsewhere (the Spark module) hands them over at the end ({@link #assemble}).
 */
public final class RunAssembly {
    private final RunDir dir;
    private final RunResume resume;
    private final SummaryBuilder summary;

    private RunAssembly(RunDir dir, RunResume resume, SummaryBuilder summary) {
        this.dir = dir;
        this.resume = resume;
        this.summary = summary;
    }

    /**
     * The assembly of a run whose finished estimates {@code resume} has loaded, relative to {@code twins} (empty: raw).
     */
    static RunAssembly begin(RunSettings s, ModelConfig cfg, Dataset data, RunDir dir, RunResume resume,
                             List<TwinEstimates> twins) {
        SummaryBuilder summary = new SummaryBuilder(s, cfg, data, s.model(), new MiPolicy(s.measurement()), data.isRandom());
        summary.load(resume.done());
        for (TwinEstimates tw : twins) summary.twin(tw.seed(), tw.estimates());
        return new RunAssembly(dir, resume, summary);
    }

    /** Writes the summary as it stands (status: running). */
    void write() throws IOException {
        summary.write(dir.root, false);
    }

    /** How many estimates the run has finished and how many it has still to compute. */
    void estimates(int finished, int pending) {
        summary.estimates(finished, pending);
    }

    /** Whether the estimate file {@code name} (in est/) is finished. */
    boolean has(String name) {
        return resume.done().containsKey(name);
    }

    /** A new estimate: persisted atomically as {@code file}, added to the summary, which is rewritten. */
    void add(Path file, EstimateFile estimate) throws IOException {
        AtomicFiles.writeString(file, RunDir.JSON.writeValueAsString(estimate.toJson()) + "\n");
        resume.done().put(file.getFileName().toString(), estimate);
        summary.put(estimate);
        summary.write(dir.root, false);
    }

    /** The end of every run: the final summary.json, results.csv and emergence.csv. */
    RunOutcome conclude(double captureSecs, double estimateSecs, double totalSecs) throws IOException {
        summary.timing(captureSecs, estimateSecs, totalSecs);
        summary.recovered(resume.recoveries());
        ObjectNode json = summary.json(true);
        AtomicFiles.writeString(dir.root.resolve("summary.json"), RunDir.JSON.writeValueAsString(json) + "\n");
        summary.writeTables(dir.root, json);
        return new RunOutcome(dir.root, json, Collections.unmodifiableMap(resume.done()));
    }

    /**
     * Writes the summary, results and (when every cell is there) the final status of a run whose cells were computed
     * elsewhere: {@code estimates} (est/*.json content as the backend stored it, by {@link EstimateCells#fileName}) are
     * stored under runDir/est, read back and checked as a resumed run checks its own ({@link EstimateFile#of}), and
     * assembled exactly as a local run assembles its own.
     */
    public static RunOutcome assemble(RunSettings s, ModelConfig cfg, Dataset data, Path runDir,
                                      Map<String, ? extends JsonNode> estimates, double captureSecs,
                                      double estimateSecs) throws IOException {
        return assemble(s, cfg, data, runDir, estimates, captureSecs, estimateSecs, List.of());
    }

    /**
     * {@link #assemble} for a prepared run, relative to its untrained twins when its measurement has them: the twins
     * are ordinary resumable runs computed here, on this machine, under the run directory's {@code null/} (for a
     * last-position measurement they estimate only the last position, a small part of the run's work).
     */
    public static RunOutcome assemble(RunRequest.Prepared p, ModelConfig cfg, Map<String, ? extends JsonNode> estimates,
                                      double captureSecs, double estimateSecs) throws IOException {
        List<TwinEstimates> twins = p.runTwins();
        return assemble(p.settings(), cfg, p.data(), p.dir(), estimates, captureSecs, estimateSecs, twins);
    }

    private static RunOutcome assemble(RunSettings s, ModelConfig cfg, Dataset data, Path runDir,
                                       Map<String, ? extends JsonNode> estimates, double captureSecs,
                                       double estimateSecs, List<TwinEstimates> twins) throws IOException {
        long start = System.nanoTime();
        try (RunDir dir = RunDir.open(runDir, s)) {
            for (Map.Entry<String, ? extends JsonNode> e : estimates.entrySet()) {
                Path f = dir.est().resolve(e.getKey());
                if (!Files.isRegularFile(f)) AtomicFiles.writeString(f, RunDir.JSON.writeValueAsString(e.getValue()) + "\n");
            }
            RunResume resume = new RunResume(s, data, data.n(), data.t(), cfg.hidden(), new EstimateCells(s).groups() != null, true);
            resume.checkTokens(dir);
            resume.loadFinished(dir);
            RunAssembly a = begin(s, cfg, data, dir, resume, twins);
            try (var list = Files.list(dir.acts())) {
                if (list.findAny().isEmpty()) Files.deleteIfExists(dir.acts());
            }
            return a.conclude(captureSecs, estimateSecs, captureSecs + estimateSecs + (System.nanoTime() - start) / 1e9);
        }
    }
}
