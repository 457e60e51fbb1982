package org.emergence.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reading a Spark job's combined log (Spark's log4j records and emergence's own lines) in tests. */
final class JobLogs {
    private JobLogs() {}

    private static final Pattern RECORD = Pattern.compile("^\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d (ERROR|WARN|INFO|DEBUG) ");

    /**
     * The stack traces in a log that are not Spark's own logging of its internals. Spark prints a record line,
     * the exception (one or more lines) and its frames; when none of the frames is ours, that is Spark's output
     * — e.g. the benign race it logs at random while a failed job shuts down ("Could not find
     * CoarseGrainedScheduler", netty frames only). Any other trace, or any with an org.emergence frame, is
     * returned (its first lines).
     */
    static List<String> ourStackTraces(String log) {
        List<String> lines = log.lines().toList(), ours = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!frame(lines.get(i)) || (i > 0 && frame(lines.get(i - 1)))) continue;
            int end = i;
            boolean emergence = false;
            while (end < lines.size() && (frame(lines.get(end)) || lines.get(end).startsWith("Caused by: "))) {
                emergence |= lines.get(end).contains("org.emergence.");
                end++;
            }
            boolean sparkRecord = false;
            for (int j = i - 1; j >= Math.max(0, i - 10) && !frame(lines.get(j)); j--) {
                if (RECORD.matcher(lines.get(j)).find()) {
                    sparkRecord = j < i - 1; // the record, then at least the exception line
                    break;
                }
            }
            if (emergence || !sparkRecord) ours.add(String.join("\n", lines.subList(Math.max(0, i - 2), Math.min(end, i + 3))));
            i = end - 1;
        }
        return ours;
    }

    private static boolean frame(String line) {
        return line.startsWith("\tat ") || line.startsWith("\t... ");
    }
}
