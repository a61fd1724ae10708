/*
 * The C baseline for MatmulBenchmark: OpenBLAS cblas_sgemm called directly from C, on the same
 * libopenblas that JavaCPP ships in org.bytedeco:openblas:<version>:linux-x86_64, the same row-major
 * F32 shapes and the same thread count. Build and run with bench/c/run.sh.
 *
 *   usage: sgemm_bench [threads] [seconds-per-round] [rounds]
 *
 * For each shape [m x k]·[k x n] it runs one warm-up round, then `rounds` timed rounds of at least
 * `seconds` each, and prints GFLOP/s = 2·m·n·k·calls / seconds, as the mean over rounds (what JMH's
 * score is) and the best round.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *random_matrix(size_t n, unsigned *seed) {
    float *p = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
    if (!p) { perror("aligned_alloc"); exit(1); }
    for (size_t i = 0; i < n; i++) p[i] = (float) rand_r(seed) / RAND_MAX - 0.5f;
    return p;
}

/* One timed round: calls sgemm until `seconds` have passed; returns GFLOP/s. */
static double round_gflops(int m, int n, int k, const float *a, const float *b, float *c, double seconds) {
    long calls = 0;
    double start = now(), elapsed;
    do {
        /* Row-major, no transposes: lda = k, ldb = n, ldc = n (as the Java backend passes them). */
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
        calls++;
        elapsed = now() - start;
    } while (elapsed < seconds);
    return 2.0 * m * n * (double) k * calls / elapsed * 1e-9;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 0;
    double seconds = argc > 2 ? atof(argv[2]) : 1.0;
    int rounds = argc > 3 ? atoi(argv[3]) : 5;
    if (threads > 0) openblas_set_num_threads(threads);

    static const int shapes[][3] = { /* m, k, n */
        {32, 384, 1024}, {64, 1024, 2048}, {1600, 128, 1024}, {1024, 1024, 1024},
    };
    printf("# %s; threads %d; core %s\n", openblas_get_config(), openblas_get_num_threads(), openblas_get_corename());
    printf("%-22s %12s %12s\n", "shape", "mean GFLOP/s", "best GFLOP/s");
    unsigned seed = 42;
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int m = shapes[s][0], k = shapes[s][1], n = shapes[s][2];
        float *a = random_matrix((size_t) m * k, &seed), *b = random_matrix((size_t) k * n, &seed);
        float *c = random_matrix((size_t) m * n, &seed);
        round_gflops(m, n, k, a, b, c, seconds); /* warm-up */
        double sum = 0, best = 0;
        for (int r = 0; r < rounds; r++) {
            double g = round_gflops(m, n, k, a, b, c, seconds);
            sum += g;
            if (g > best) best = g;
        }
        char name[64];
        snprintf(name, sizeof name, "%dx%d * %dx%d", m, k, k, n);
        printf("%-22s %12.1f %12.1f\n", name, sum / rounds, best);
        free(a); free(b); free(c);
    }
    return 0;
}
