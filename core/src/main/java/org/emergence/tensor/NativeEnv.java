package org.emergence.tensor;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Sets a variable of this process's C environment (libc setenv through JNA; Java cannot change its own
 * environment), for native libraries that read their settings from it when they load (OpenBLAS's
 * OPENBLAS_CORETYPE, OpenMP's OMP_WAIT_POLICY).
 */
final class NativeEnv {
    private NativeEnv() {}

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    /** True when set (or, without overwrite, already present); false where it cannot be set (Windows, no libc). */
    static boolean set(String name, String value, boolean overwrite) {
        if (Platform.isWindows()) return false;
        try {
            return Native.load(Platform.C_LIBRARY_NAME, LibC.class).setenv(name, value, overwrite ? 1 : 0) == 0;
        } catch (Throwable t) {
            return false;
        }
    }
}
