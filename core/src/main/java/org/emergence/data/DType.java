package org.emergence.data;

/** Element types of the .npy files this project reads and writes. */
public enum DType {
    F2("f2", 2, "float16"),
    F4("f4", 4, "float32"),
    F8("f8", 8, "float64"),
    I4("i4", 4, "int32"),
    I8("i8", 8, "int64");

    public final String code;
    public final int size;
    public final String numpyName;

    DType(String code, int size, String numpyName) {
        this.code = code;
        this.size = size;
        this.numpyName = numpyName;
    }

    public boolean isFloat() {
        return this == F2 || this == F4 || this == F8;
    }
}
