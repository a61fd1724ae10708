package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;

import java.util.Map;

/**
 * Adagrad (Duchi, Hazan and Singer 2011), as {@code torch.optim.Adagrad}:
 * <pre>
 *   lr~ = lr / (1 + (t - 1) eta)                      (learning-rate decay eta)
 *   g   = grad + lambda p                             (weight decay lambda)
 *   sum = sum + g^2                                   (sum starts at the initial accumulator value)
 *   p   = p - lr~ g / (sqrt(sum) + eps)
 * </pre>
 * State: {@code sum}. Defaults as PyTorch: eta = 0, lambda = 0, initial accumulator 0, eps = 1e-10.
 */
public final class Adagrad extends Optimizer {
    private final double lrDecay, weightDecay, initialAccumulator, eps;

    public Adagrad(Map<String, Parameter> params, double lr, double lrDecay, double weightDecay, double initialAccumulator, double eps) {
        super("adagrad", params, lr);
        requireNonNegative("adagrad", "learning-rate decay", lrDecay);
        requireNonNegative("adagrad", "weight decay", weightDecay);
        requireNonNegative("adagrad", "initial accumulator value", initialAccumulator);
        requireNonNegative("adagrad", "eps", eps);
        this.lrDecay = lrDecay;
        this.weightDecay = weightDecay;
        this.initialAccumulator = initialAccumulator;
        this.eps = eps;
        addState("sum", initialAccumulator);
    }

    /** PyTorch's defaults with this learning rate. */
    public Adagrad(Map<String, Parameter> params, double lr) { this(params, lr, 0, 0, 0, 1e-10); }

    @Override
    protected void update(String name, Tensor p, Tensor g, long t, double lr) {
        double clr = lr / (1 + (t - 1) * lrDecay);
        if (weightDecay != 0) g = g.add(p.mul(weightDecay));
        Tensor sum = state(name, "sum");
        sum.assign(sum.add(g.mul(g)));
        p.assign(p.sub(g.div(sum.sqrt().add(eps)).mul(clr)));
    }

    @Override
    protected void writeHyperparameters(JsonObject o) {
        o.addProperty("lr_decay", lrDecay);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("initial_accumulator_value", initialAccumulator);
        o.addProperty("eps", eps);
    }
}
