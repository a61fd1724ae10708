package dev.recurrent.core;

/** Element type of a tensor. Every op requires all of its floating inputs to share one dtype. */
public enum DType {
    F32(4), F64(8);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Bytes per element. */
    public int bytes() { return bytes; }
}
