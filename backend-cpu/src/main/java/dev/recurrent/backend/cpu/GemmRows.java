package dev.recurrent.backend.cpu;

import java.lang.management.ManagementFactory;

/**
 * The inner loops of {@link Gemm}: rows of C accumulated as {@code acc[j] += sum over p of a(p) * b[p][j]}
 * over a block of {@code kc} rows of B, four values of p per pass. HotSpot vectorises the loop over j.
 *
 * <p>Two rows of C share every load of B ({@code rows2}); an odd last row goes through {@code row1},
 * which performs exactly the same operations per element, so a row's result does not depend on which
 * row it was paired with (nor, therefore, on how the rows were split across threads). When the JVM has
 * hardware fused multiply-add ({@code -XX:+UseFMA}, the default on x86 with FMA3 and on AArch64) the
 * updates use {@link Math#fma}, one rounding per term and about a third faster; without it Math.fma
 * is a slow software routine, so plain multiply-add is used instead.
 *
 * <p>a(p) for row r is {@code a[ai + r*rs + p*ps]}; b[p][j] is {@code b[bi + p*ldb + j]}.
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

    static void rows2(float[] a, int ai, int rs, int ps, float[] b, int bi, int ldb, float[] acc0, float[] acc1, int kc, int nc) {
        int p = 0;
        for (; p + 3 < kc; p += 4, ai += 4 * ps, bi += 4 * ldb) {
            float x0 = a[ai], x1 = a[ai + ps], x2 = a[ai + 2 * ps], x3 = a[ai + 3 * ps];
            int aj = ai + rs;
            float y0 = a[aj], y1 = a[aj + ps], y2 = a[aj + 2 * ps], y3 = a[aj + 3 * ps];
            int r0 = bi, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            if (FMA) {
                for (int j = 0; j < nc; j++) {
                    float b0 = b[r0 + j], b1 = b[r1 + j], b2 = b[r2 + j], b3 = b[r3 + j];
                    acc0[j] = Math.fma(x3, b3, Math.fma(x2, b2, Math.fma(x1, b1, Math.fma(x0, b0, acc0[j]))));
                    acc1[j] = Math.fma(y3, b3, Math.fma(y2, b2, Math.fma(y1, b1, Math.fma(y0, b0, acc1[j]))));
                }
            } else {
                for (int j = 0; j < nc; j++) {
                    float b0 = b[r0 + j], b1 = b[r1 + j], b2 = b[r2 + j], b3 = b[r3 + j];
                    acc0[j] += x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3;
                    acc1[j] += y0 * b0 + y1 * b1 + y2 * b2 + y3 * b3;
                }
            }
        }
        for (; p < kc; p++, ai += ps, bi += ldb) {
            float x0 = a[ai], y0 = a[ai + rs];
            if (FMA) {
                for (int j = 0; j < nc; j++) {
                    acc0[j] = Math.fma(x0, b[bi + j], acc0[j]);
                    acc1[j] = Math.fma(y0, b[bi + j], acc1[j]);
                }
            } else {
                for (int j = 0; j < nc; j++) {
                    acc0[j] += x0 * b[bi + j];
                    acc1[j] += y0 * b[bi + j];
                }
            }
        }
    }

    static void row1(float[] a, int ai, int ps, float[] b, int bi, int ldb, float[] acc0, int kc, int nc) {
        int p = 0;
        for (; p + 3 < kc; p += 4, ai += 4 * ps, bi += 4 * ldb) {
            float x0 = a[ai], x1 = a[ai + ps], x2 = a[ai + 2 * ps], x3 = a[ai + 3 * ps];
            int r0 = bi, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            if (FMA) {
                for (int j = 0; j < nc; j++) {
                    acc0[j] = Math.fma(x3, b[r3 + j], Math.fma(x2, b[r2 + j], Math.fma(x1, b[r1 + j], Math.fma(x0, b[r0 + j], acc0[j]))));
                }
            } else {
                for (int j = 0; j < nc; j++) acc0[j] += x0 * b[r0 + j] + x1 * b[r1 + j] + x2 * b[r2 + j] + x3 * b[r3 + j];
            }
        }
        for (; p < kc; p++, ai += ps, bi += ldb) {
            float x0 = a[ai];
            if (FMA) {
                for (int j = 0; j < nc; j++) acc0[j] = Math.fma(x0, b[bi + j], acc0[j]);
            } else {
                for (int j = 0; j < nc; j++) acc0[j] += x0 * b[bi + j];
            }
        }
    }

    // ---- F64: the same loops with double for float ------------------------------------------------

    static void rows2(double[] a, int ai, int rs, int ps, double[] b, int bi, int ldb, double[] acc0, double[] acc1, int kc, int nc) {
        int p = 0;
        for (; p + 3 < kc; p += 4, ai += 4 * ps, bi += 4 * ldb) {
            double x0 = a[ai], x1 = a[ai + ps], x2 = a[ai + 2 * ps], x3 = a[ai + 3 * ps];
            int aj = ai + rs;
            double y0 = a[aj], y1 = a[aj + ps], y2 = a[aj + 2 * ps], y3 = a[aj + 3 * ps];
            int r0 = bi, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            if (FMA) {
                for (int j = 0; j < nc; j++) {
                    double b0 = b[r0 + j], b1 = b[r1 + j], b2 = b[r2 + j], b3 = b[r3 + j];
                    acc0[j] = Math.fma(x3, b3, Math.fma(x2, b2, Math.fma(x1, b1, Math.fma(x0, b0, acc0[j]))));
                    acc1[j] = Math.fma(y3, b3, Math.fma(y2, b2, Math.fma(y1, b1, Math.fma(y0, b0, acc1[j]))));
                }
            } else {
                for (int j = 0; j < nc; j++) {
                    double b0 = b[r0 + j], b1 = b[r1 + j], b2 = b[r2 + j], b3 = b[r3 + j];
                    acc0[j] += x0 * b0 + x1 * b1 + x2 * b2 + x3 * b3;
                    acc1[j] += y0 * b0 + y1 * b1 + y2 * b2 + y3 * b3;
                }
            }
        }
        for (; p < kc; p++, ai += ps, bi += ldb) {
            double x0 = a[ai], y0 = a[ai + rs];
            if (FMA) {
                for (int j = 0; j < nc; j++) {
                    acc0[j] = Math.fma(x0, b[bi + j], acc0[j]);
                    acc1[j] = Math.fma(y0, b[bi + j], acc1[j]);
                }
            } else {
                for (int j = 0; j < nc; j++) {
                    acc0[j] += x0 * b[bi + j];
                    acc1[j] += y0 * b[bi + j];
                }
            }
        }
    }

    static void row1(double[] a, int ai, int ps, double[] b, int bi, int ldb, double[] acc0, int kc, int nc) {
        int p = 0;
        for (; p + 3 < kc; p += 4, ai += 4 * ps, bi += 4 * ldb) {
            double x0 = a[ai], x1 = a[ai + ps], x2 = a[ai + 2 * ps], x3 = a[ai + 3 * ps];
            int r0 = bi, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
            if (FMA) {
                for (int j = 0; j < nc; j++) {
                    acc0[j] = Math.fma(x3, b[r3 + j], Math.fma(x2, b[r2 + j], Math.fma(x1, b[r1 + j], Math.fma(x0, b[r0 + j], acc0[j]))));
                }
            } else {
                for (int j = 0; j < nc; j++) acc0[j] += x0 * b[r0 + j] + x1 * b[r1 + j] + x2 * b[r2 + j] + x3 * b[r3 + j];
            }
        }
        for (; p < kc; p++, ai += ps, bi += ldb) {
            double x0 = a[ai];
            if (FMA) {
                for (int j = 0; j < nc; j++) acc0[j] = Math.fma(x0, b[bi + j], acc0[j]);
            } else {
                for (int j = 0; j < nc; j++) acc0[j] += x0 * b[bi + j];
            }
        }
    }
}
