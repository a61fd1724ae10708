package dev.recurrent.core;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;

/** The kit's reference implementations on hand-worked cases, so a contract failure points at the backend, not at the kit. */
class ReferenceTest {
    private static RefArray a(int[] shape, double... v) { return RefArray.of(shape, v); }

    private static void same(String what, RefArray expected, RefArray actual) { Expect.close(what, expected, actual, 0, 1e-15); }

    @Example
    void broadcastingZip() {
        RefArray col = a(new int[] {2, 1}, 1, 2), row = a(new int[] {3}, 10, 20, 30);
        same("[2,1] + [3]", a(new int[] {2, 3}, 11, 21, 31, 12, 22, 32), Reference.zip(col, row, Double::sum));
        same("scalar * [3]", a(new int[] {3}, 20, 40, 60), Reference.zip(RefArray.scalar(2), row, (x, y) -> x * y));
        same("sumTo [2,3] -> [3]", a(new int[] {3}, 23, 43, 63), Reference.sumTo(Reference.zip(col, row, Double::sum), new int[] {3}));
        same("sumTo [2,3] -> [2,1]", a(new int[] {2, 1}, 63, 66), Reference.sumTo(Reference.zip(col, row, Double::sum), new int[] {2, 1}));
        same("where", a(new int[] {2, 3}, 1, 20, 1, 2, 20, 2),
                Reference.where(a(new int[] {3}, 1, 0, 1), col, a(new int[] {1}, 20)));
    }

    @Example
    void matmulWithFlags() {
        RefArray m = a(new int[] {2, 3}, 1, 2, 3, 4, 5, 6), n = a(new int[] {3, 2}, 1, 0, 0, 1, 1, 1);
        RefArray want = a(new int[] {2, 2}, 4, 5, 10, 11);
        same("a·b", want, Reference.matmul(m, false, n, false));
        same("(aᵀ)ᵀ·b", want, Reference.matmul(Reference.permute(m, new int[] {1, 0}), true, n, false));
        same("a·(bᵀ)ᵀ", want, Reference.matmul(m, false, Reference.permute(n, new int[] {1, 0}), true));
        RefArray batch = Reference.matmul(a(new int[] {2, 1, 1}, 2, 3), false, a(new int[] {1, 2}, 1, 10), false);
        same("[2,1,1]·[1,2]", a(new int[] {2, 1, 2}, 2, 20, 3, 30), batch);
    }

    @Example
    void layout() {
        RefArray m = a(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        same("transpose", a(new int[] {3, 2}, 1, 4, 2, 5, 3, 6), Reference.permute(m, new int[] {1, 0}));
        same("slice", a(new int[] {2, 2}, 2, 3, 5, 6), Reference.slice(m, 1, 1, 3));
        same("concat axis 1", a(new int[] {2, 4}, 1, 2, 3, 9, 4, 5, 6, 8), Reference.concat(1, java.util.List.of(m, a(new int[] {2, 1}, 9, 8))));
        same("stack axis 1", a(new int[] {2, 2, 3}, 1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6), Reference.stack(1, java.util.List.of(m, m)));
        same("gather", a(new int[] {3, 3}, 4, 5, 6, 4, 5, 6, 1, 2, 3), Reference.gatherRows(m, new int[] {1, 1, 0}));
    }

    @Example
    void reductionsAndLosses() {
        RefArray m = a(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        same("sum axis 0", a(new int[] {3}, 5, 7, 9), Reference.sum(m, new int[] {0}, false));
        same("sum axis 1 keep", a(new int[] {2, 1}, 6, 15), Reference.sum(m, new int[] {1}, true));
        same("sum all", RefArray.scalar(21), Reference.sum(m, new int[0], false));
        same("mean axis 1", a(new int[] {2}, 2, 5), Reference.mean(m, new int[] {1}, false));
        same("max axis 0", a(new int[] {3}, 4, 5, 6), Reference.max(m, 0, false));
        RefArray sm = Reference.softmax(a(new int[] {1, 2}, 0, Math.log(3)), 1);
        same("softmax", a(new int[] {1, 2}, 0.25, 0.75), sm);
        double ce = Reference.crossEntropy(a(new int[] {3, 2}, 0, Math.log(3), 5, 5, 0, 0), new int[] {1, -1, 0});
        Expect.close("crossEntropy", (-Math.log(0.75) - Math.log(0.5)) / 2, ce, 1e-15, 0);
        Expect.close("crossEntropy all ignored", 0, Reference.crossEntropy(m, new int[] {-1, -1}), 0, 0);
        Expect.close("mse", 2.5, Reference.mse(a(new int[] {2}, 1, 2), a(new int[] {2}, 3, 3)), 0, 0);
    }

    @Property(tries = 50, seed = ContractBase.SEED)
    void sumToUndoesBroadcastTo(@ForAll("pairs") RefArray[] p) {
        int[] target = Reference.broadcast(p[0].shape(), p[1].shape());
        double k = Reference.size(target) / (double) p[0].size();
        Expect.close("sumTo(broadcastTo(x))", p[0].map(v -> v * k), Reference.sumTo(Reference.broadcastTo(p[0], target), p[0].shape()), 1e-12, 1e-12);
    }

    @Property(tries = 30, seed = ContractBase.SEED)
    void factoriseKeepsTheSize(@ForAll("sizes") int n, @ForAll("longs") long seed) {
        int[] dims = LayoutContract.factorise(n, new java.util.Random(seed));
        Expect.isTrue(Reference.size(dims) == n && (dims.length > 0 || n == 1), "factorise(" + n + ") = " + java.util.Arrays.toString(dims));
    }

    @Provide Arbitrary<RefArray[]> pairs() { return Generators.broadcastArrays(2); }

    @Provide Arbitrary<Integer> sizes() { return net.jqwik.api.Arbitraries.integers().between(1, 256); }

    @Provide Arbitrary<Long> longs() { return net.jqwik.api.Arbitraries.longs(); }
}
