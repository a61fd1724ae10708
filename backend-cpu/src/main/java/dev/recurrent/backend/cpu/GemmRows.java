package dev.recurrent.backend.cpu;

import java.lang.management.ManagementFactory;

/**
 * The inner loops of {@link Gemm}: a row of C accumulated as {@code acc[j] += sum over p of a(p) * b[p][j]}
 * over a block of {@code kc} rows of B held as a panel, one array per row, four values of p per pass.
 *
 * <p>Why a panel of separate arrays, and one row of C at a time: C2 (JDK 17) vectorises the loop over j only
 * when every array in it is indexed {@code [j]} with one and the same offset and it stores into a single
 * array. The rows of B at {@code bi + p*ldb + j} (four different offsets) or two accumulators updated in
 * one loop each leave it scalar: measured 5-9 GFLOP/s on one core for that form, 37-50 for this one (F32,
 * kc 256, nc 512). Each row of C is computed with the same operations whatever the split of the rows
 * across threads, so the results do not depend on it. When the JVM has hardware fused multiply-add
 * ({@code -XX:+UseFMA}, the default on x86 with FMA3 and on AArch64) the updates use {@link Math#fma}, one
 * rounding per term; without it Math.fma is a slow software routine, so plain multiply-add is used instead.
 *
 * <p>a(p) is {@code a[ai + p*ps]}; b[p][j] is {@code panel[p][j]}.
 */
final class GemmRows {
    static final boolean FMA = hardwareFma();

    private GemmRows() { }

    private static boolean hardwareFma() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return bean != null && Boolean.parseBoolean(bean.getVMOption("UseFMA").getValue());
        } catch (RuntimeException | LinkageError e) {
            return false;                    // not HotSpot, or no jdk.management: the safe choice
        }
    }

    // ---- F32 --------------------------------------------------------------------------------------

    /** {@code acc[j] += sum over p < kc of a[ai + p*ps] * panel[p][j]} for j < nc. */
    static void row(float[] a, int ai, int ps, float[][] panel, float[] acc, int kc, int nc) {
        int p = 0;
        for (; p + 3 < kc; p += 4, ai += 4 * ps) {
            update(a[ai], a[ai + ps], a[ai + 2 * ps], a[ai + 3 * ps], panel[p], panel[p + 1], panel[p + 2], panel[p + 3], acc, nc);
        }
        for (; p < kc; p++, ai += ps) update(a[ai], panel[p], acc, nc);
    }

    private static void update(float x0, float x1, float x2, float x3, float[] b0, float[] b1, float[] b2, float[] b3,
                               float[] acc, int nc) {
        if (FMA) {
            for (int j = 0; j < nc; j++) acc[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], acc[j]))));
        } else {
            for (int j = 0; j < nc; j++) acc[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
        }
    }

    private static void update(float x0, float[] b0, float[] acc, int nc) {
        if (FMA) {
            for (int j = 0; j < nc; j++) acc[j] = Math.fma(x0, b0[j], acc[j]);
        } else {
            for (int j = 0; j < nc; j++) acc[j] += x0 * b0[j];
        }
    }

    // ---- F64: the same loops with double for float ------------------------------------------------

    static void row(double[] a, int ai, int ps, double[][] panel, double[] acc, int kc, int nc) {
        int p = 0;
        for (; p + 3 < kc; p += 4, ai += 4 * ps) {
            update(a[ai], a[ai + ps], a[ai + 2 * ps], a[ai + 3 * ps], panel[p], panel[p + 1], panel[p + 2], panel[p + 3], acc, nc);
        }
        for (; p < kc; p++, ai += ps) update(a[ai], panel[p], acc, nc);
    }

    private static void update(double x0, double x1, double x2, double x3, double[] b0, double[] b1, double[] b2, double[] b3,
                               double[] acc, int nc) {
        if (FMA) {
            for (int j = 0; j < nc; j++) acc[j] = Math.fma(x3, b3[j], Math.fma(x2, b2[j], Math.fma(x1, b1[j], Math.fma(x0, b0[j], acc[j]))));
        } else {
            for (int j = 0; j < nc; j++) acc[j] += x0 * b0[j] + x1 * b1[j] + x2 * b2[j] + x3 * b3[j];
        }
    }

    private static void update(double x0, double[] b0, double[] acc, int nc) {
        if (FMA) {
            for (int j = 0; j < nc; j++) acc[j] = Math.fma(x0, b0[j], acc[j]);
        } else {
            for (int j = 0; j < nc; j++) acc[j] += x0 * b0[j];
        }
    }
}
