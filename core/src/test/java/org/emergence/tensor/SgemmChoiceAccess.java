package org.emergence.tensor;

/** Package access for tests in other packages. */
public final class SgemmChoiceAccess {
    private SgemmChoiceAccess() {}

    public static String cpuKind(java.nio.file.Path cpuinfo) {
        return SgemmChoice.readCpuKind(cpuinfo);
    }
}
