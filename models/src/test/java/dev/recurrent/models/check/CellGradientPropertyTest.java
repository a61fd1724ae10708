package dev.recurrent.models.check;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.check.GradCheck;
import dev.recurrent.core.check.Report;
import dev.recurrent.models.Cell;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.Fixtures.Kind;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.Unrolled;
import dev.recurrent.models.Unroller;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * BPTT through one unrolled cell against central finite differences (F64): gradients of every parameter,
 * the input and the initial state, for every built-in cell, random sizes (hidden 1 included), 1..12 steps,
 * batch 1..4, with and without bias, initial state and variable lengths.
 */
class CellGradientPropertyTest {
    @Property(tries = 150, seed = "4242")
    void everyCellsBpttGradientMatchesFiniteDifferences(@ForAll Kind kind, @ForAll @IntRange(min = 1, max = 4) int inputSize,
                                                        @ForAll @IntRange(min = 1, max = 4) int hidden, @ForAll @IntRange(min = 1, max = 12) int steps,
                                                        @ForAll @IntRange(min = 1, max = 4) int batch, @ForAll boolean bias,
                                                        @ForAll boolean withInitial, @ForAll boolean withLengths, @ForAll @IntRange(max = 1000) int seed) {
        Random r = new Random(seed);
        Cell<?> cell = kind.factory(hidden, Fixtures.f64().withBias(bias)).create(inputSize, r);
        String config = kind + " I=" + inputSize + " H=" + hidden + " T=" + steps + " B=" + batch + " bias=" + bias
                + " initial=" + withInitial + " lengths=" + withLengths + " seed=" + seed;
        check(cell, config, Fixtures.randn(r, steps, batch, inputSize), withInitial, withLengths ? Fixtures.lengths(r, steps, batch) : null, r)
                .assertPasses();
    }

    /** Checks the unrolled outputs and final state w.r.t. input, initial state and parameters. */
    static <S> Report check(Cell<S> cell, String config, Tensor input, boolean withInitial, int[] lengths, Random r) {
        int batch = input.dim(1);
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(input);
        int stateParts = cell.unpack(cell.zeroState(batch)).size();
        if (withInitial) for (Tensor z : cell.unpack(cell.zeroState(batch))) inputs.add(Fixtures.randn(r, z.shape().dims()).mul(0.5));
        List<Parameter> params = new ArrayList<>(cell.parameters().values());
        for (Parameter p : params) inputs.add(p.value());
        return GradCheck.of(config, xs -> {
            int i = 1;
            S s0 = null;
            if (withInitial) {
                s0 = cell.pack(xs.subList(1, 1 + stateParts));
                i += stateParts;
            }
            for (Parameter p : params) p.set(xs.get(i++));
            Unrolled<S> run = Unroller.of(cell).initial(s0).lengths(lengths).run(xs.get(0));
            List<Tensor> outs = new ArrayList<>();
            outs.add(run.outputs());
            outs.addAll(cell.unpack(run.finalState()));
            return Fixtures.flatJoin(outs);
        }).always(true).on(input.backend(), inputs.toArray(new Tensor[0]));
    }
}
