package org.emergence.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What counts as a stack trace of ours in a Spark job's log (SparkClusterTest's "no stack trace" check). */
class JobLogsTest {
    private static final String SPARK_RACE = """
            26/12/07 19:53:23 ERROR TaskSetManager: Task 0 in stage 0.0 failed 4 times; aborting job
            26/12/07 19:53:23 ERROR TransportRequestHandler: Error while invoking RpcHandler#receive() for one-way message from /127.0.0.1:40428.
            org.apache.spark.SparkException: Could not find CoarseGrainedScheduler.
            \tat org.apache.spark.rpc.netty.Dispatcher.postMessage(Dispatcher.scala:178)
            \tat io.netty.channel.AbstractChannelHandlerContext.fireChannelRead(AbstractChannelHandlerContext.java:357)
            \tat java.base/java.lang.Thread.run(Thread.java:840)
            """;

    private static final String ERROR_LINE = "emergence: error: rel-model: not a directory, not a built-in model\n";

    @Test
    void sparksOwnRecordOfItsInternalsIsNotOurs() {
        assertEquals(List.of(), JobLogs.ourStackTraces(SPARK_RACE + ERROR_LINE));
        assertEquals(List.of(), JobLogs.ourStackTraces(ERROR_LINE));
    }

    @Test
    void aBareTraceOrOneThroughOurCodeIsOurs() {
        String bare = ERROR_LINE + "org.emergence.common.UserError: rel-model\n\tat org.emergence.cli.Main.main(Main.java:1)\n";
        assertEquals(1, JobLogs.ourStackTraces(bare).size());
        String logged = "26/12/07 19:53:23 WARN TaskSetManager: Lost task 0.0\njava.lang.IllegalStateException: x\n"
                + "\tat org.emergence.spark.Job.run(Job.java:1)\n\tat java.base/java.lang.Thread.run(Thread.java:840)\n";
        List<String> found = JobLogs.ourStackTraces(SPARK_RACE + logged);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).contains("IllegalStateException"), found.get(0));
        String unlogged = "java.lang.RuntimeException: boom\n\tat java.base/java.lang.Thread.run(Thread.java:840)\n";
        assertEquals(1, JobLogs.ourStackTraces(unlogged).size());
    }
}
