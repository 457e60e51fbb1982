package org.emergence.model.io;

/** Safetensors element types. Weights must be F32, F16 or BF16; the others are parsed and refused on use. */
public enum StorageType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1), F8_E4M3(1), F8_E5M2(1),
    U16(2), U32(4), U64(8);

    public final int size;

    StorageType(int size) {
        this.size = size;
    }

    public boolean isWeightType() {
        return this == F32 || this == F16 || this == BF16;
    }

    public static StorageType parse(String s) {
        try {
            return valueOf(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
