package dev.recurrent.backend.blas;

import org.bytedeco.javacpp.Pointer;

/** JavaCPP's count of native bytes for the tests that count them. */
final class NativeBytes {
    private NativeBytes() { }

    /**
     * {@code Pointer.totalBytes()} once collections stop changing it (at most about 5 s): other tests' garbage
     * freed while a test counts would otherwise show as memory that test gave back.
     */
    static long settled() {
        long last = -1, now = Pointer.totalBytes();
        for (int i = 0; i < 100 && now != last; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = now;
            now = Pointer.totalBytes();
        }
        return now;
    }
}
