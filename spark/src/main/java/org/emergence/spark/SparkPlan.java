package org.emergence.spark;

import java.io.Serializable;
import org.emergence.ie.RunSettings;

/**
 * What every task of one Spark run needs, shipped with the task (small: no arrays but the partition
 * bounds). The store holds everything large.
 *
 * @param model    the model as {@code run --model} names it (resolved on each executor: a built-in name, a
 *                 directory mounted at the same path everywhere, or a hub-cache repo id present there)
 * @param ablate   the model transform ({@code run --ablate})
 * @param batch    sequences per forward batch; partitions start at multiples of it, so every batch holds the
 *                 same sequences as in a single-machine run (and every number is the same)
 * @param captureTo the last residual-stream index captured: h^0 … h^captureTo ([T, rows, H] per partition)
 * @param starts   partition j holds sequences starts[j] … starts[j + 1] − 1
 */
record SparkPlan(SharedStore store, String model, String ablate, int batch, int n, int t, int h, int captureTo,
                 RunSettings settings, int[] starts) implements Serializable {

    int partitions() {
        return starts.length - 1;
    }

    int rows(int j) {
        return starts[j + 1] - starts[j];
    }

    long[] partShape(int j) {
        return new long[] {t, rows(j), h};
    }

    static String actsName(int k, int j) {
        return String.format("acts/h%03d-p%05d.npy", k, j);
    }

    static String doneName(int j) {
        return String.format("acts/p%05d.done", j);
    }

    static String scaleName(int k) {
        return String.format("scale/h%03d.txt", k);
    }

    static String microName(int k) {
        return String.format("micro/h%03d.npy", k);
    }

    static String estName(String file) {
        return "est/" + file;
    }

    /**
     * Partition bounds: about {@code parts} partitions of whole batches (the last one may be shorter).
     */
    static int[] partitionStarts(int n, int batch, int parts) {
        int batches = (n + batch - 1) / batch;
        int per = Math.max(1, (batches + parts - 1) / parts);
        int count = (batches + per - 1) / per;
        int[] s = new int[count + 1];
        for (int j = 0; j < count; j++) s[j] = j * per * batch;
        s[count] = n;
        return s;
    }
}
