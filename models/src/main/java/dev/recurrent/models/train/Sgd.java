package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;

import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum (heavy-ball or Nesterov) and L2 weight decay,
 * as {@code torch.optim.SGD}:
 * <pre>
 *   g  = grad + lambda p                              (weight decay lambda)
 *   b  = g                          on the first update
 *   b  = mu b + (1 - dampening) g   afterwards         (momentum mu > 0)
 *   g  = g + mu b  (Nesterov)   or   g = b            (momentum mu > 0)
 *   p  = p - lr g
 * </pre>
 * State: {@code momentum_buffer} (when mu > 0).
 */
public final class Sgd extends Optimizer {
    private final double momentum, dampening, weightDecay;
    private final boolean nesterov;

    public Sgd(Map<String, Parameter> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super("sgd", params, lr);
        requireNonNegative("sgd", "momentum", momentum);
        requireNonNegative("sgd", "dampening", dampening);
        requireNonNegative("sgd", "weight decay", weightDecay);
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("sgd: Nesterov momentum needs momentum > 0 and dampening 0; got momentum=" + momentum
                    + ", dampening=" + dampening);
        }
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        if (momentum != 0) addState("momentum_buffer", 0);
    }

    /** Plain SGD. */
    public Sgd(Map<String, Parameter> params, double lr) { this(params, lr, 0, 0, 0, false); }

    /** SGD with heavy-ball ({@code nesterov=false}) or Nesterov momentum. */
    public static Sgd momentum(Map<String, Parameter> params, double lr, double momentum, boolean nesterov) {
        return new Sgd(params, lr, momentum, 0, 0, nesterov);
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, long t, double lr) {
        if (weightDecay != 0) g = g.add(p.mul(weightDecay));
        if (momentum != 0) {
            Tensor b = state(name, "momentum_buffer");
            b.assign(t == 1 ? g : b.mul(momentum).add(g.mul(1 - dampening)));
            g = nesterov ? g.add(b.mul(momentum)) : b;
        }
        p.assign(p.sub(g.mul(lr)));
    }

    @Override
    protected void writeHyperparameters(JsonObject o) {
        o.addProperty("momentum", momentum);
        o.addProperty("dampening", dampening);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("nesterov", nesterov);
    }
}
