package dev.recurrent.models.check;

import dev.recurrent.core.Tensor;
import dev.recurrent.core.check.GradCheck;
import dev.recurrent.core.check.Report;
import dev.recurrent.models.Fixtures;
import dev.recurrent.models.Fixtures.Kind;
import dev.recurrent.models.Parameter;
import dev.recurrent.models.layers.Recurrent;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * BPTT through whole layers against finite differences (F64): every cell, 1..3 layers, bidirectional or
 * not, with and without initial states, variable lengths and dropout between layers (masks re-seeded on
 * every pass), random sizes with hidden 1 included. Gradients of all parameters, the input and the
 * initial states, of the outputs at every step and the final states.
 */
public class RecurrentGradientPropertyTest {
    @Property(tries = 120, seed = "777")
    void everyLayerConfigurationsGradientMatchesFiniteDifferences(
            @ForAll Kind kind, @ForAll @IntRange(min = 1, max = 3) int inputSize, @ForAll @IntRange(min = 1, max = 3) int hidden,
            @ForAll @IntRange(min = 1, max = 12) int steps, @ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll @IntRange(min = 1, max = 3) int layers, @ForAll boolean bidirectional, @ForAll boolean withInitial,
            @ForAll boolean withLengths, @ForAll boolean withDropout, @ForAll @IntRange(max = 1000) int seed) {
        Random r = new Random(seed);
        Recurrent<?> layer = Recurrent.builder(kind.factory(hidden, Fixtures.f64())).inputSize(inputSize).layers(layers)
                .bidirectional(bidirectional).dropout(withDropout ? 0.3 : 0).seed(seed).build();
        String config = kind + " I=" + inputSize + " H=" + hidden + " T=" + steps + " B=" + batch + " L=" + layers + " bidirectional=" + bidirectional
                + " initial=" + withInitial + " lengths=" + withLengths + " dropout=" + withDropout + " seed=" + seed;
        int[] lengths = withLengths ? Fixtures.lengths(r, steps, batch) : null;
        check(layer, config, Fixtures.randn(r, steps, batch, inputSize), withInitial, lengths, r).assertPasses();
    }

    /** Checks outputs and final states w.r.t. input, initial states (random when {@code withInitial}) and parameters. */
    public static Report check(Recurrent<?> layer, String config, Tensor input, boolean withInitial, int[] lengths, Random r) {
        List<Tensor> inputs = new ArrayList<>();
        inputs.add(input);
        int stateParts = 0;
        if (withInitial) {
            // the shapes of the initial states are those of the final states
            for (Tensor f : layer.forward(input.detach(), null, lengths).finalState()) inputs.add(Fixtures.randn(r, f.shape().dims()).mul(0.5));
            stateParts = inputs.size() - 1;
        }
        List<Parameter> params = new ArrayList<>(layer.parameters().values());
        for (Parameter p : params) inputs.add(p.value());
        int parts = stateParts;
        return GradCheck.of(config, xs -> {
            for (int i = 0; i < params.size(); i++) params.get(i).set(xs.get(1 + parts + i));
            layer.seedDropout(99);
            Recurrent.Output<?> out = layer.forward(xs.get(0), withInitial ? xs.subList(1, 1 + parts) : null, lengths);
            List<Tensor> all = new ArrayList<>();
            all.add(out.output());
            all.addAll(out.finalState());
            return Fixtures.flatJoin(all);
        }).always(true).on(input.backend(), inputs.toArray(new Tensor[0]));
    }
}
