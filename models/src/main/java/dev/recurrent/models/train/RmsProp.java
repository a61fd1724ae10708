package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;

import java.util.Map;

/**
 * RMSprop (Hinton's lecture 6e; centered form from Graves 2013), as {@code torch.optim.RMSprop}:
 * <pre>
 *   g  = grad + lambda p                              (weight decay lambda)
 *   v  = alpha v + (1 - alpha) g^2
 *   v~ = v - gavg^2  with gavg = alpha gavg + (1 - alpha) g     (centered)   else  v~ = v
 *   b  = mu b + g / (sqrt(v~) + eps);  p = p - lr b               (momentum mu > 0)
 *   p  = p - lr g / (sqrt(v~) + eps)                              (otherwise)
 * </pre>
 * State: {@code square_avg}, {@code momentum_buffer} (mu > 0), {@code grad_avg} (centered).
 * Defaults as PyTorch: alpha = 0.99, eps = 1e-8.
 */
public final class RmsProp extends Optimizer {
    private final double alpha, eps, weightDecay, momentum;
    private final boolean centered;

    public RmsProp(Map<String, Parameter> params, double lr, double alpha, double eps, double weightDecay, double momentum, boolean centered) {
        super("rmsprop", params, lr);
        requireFraction("rmsprop", "alpha", alpha);
        requireNonNegative("rmsprop", "eps", eps);
        requireNonNegative("rmsprop", "weight decay", weightDecay);
        requireNonNegative("rmsprop", "momentum", momentum);
        this.alpha = alpha;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.momentum = momentum;
        this.centered = centered;
        addState("square_avg", 0);
        if (momentum > 0) addState("momentum_buffer", 0);
        if (centered) addState("grad_avg", 0);
    }

    /** PyTorch's defaults with this learning rate. */
    public RmsProp(Map<String, Parameter> params, double lr) { this(params, lr, 0.99, 1e-8, 0, 0, false); }

    @Override
    protected void update(String name, Tensor p, Tensor g, long t, double lr) {
        if (weightDecay != 0) g = g.add(p.mul(weightDecay));
        Tensor v = state(name, "square_avg");
        v.assign(v.mul(alpha).add(g.mul(g).mul(1 - alpha)));
        Tensor vt = v;
        if (centered) {
            Tensor ga = state(name, "grad_avg");
            ga.assign(ga.mul(alpha).add(g.mul(1 - alpha)));
            vt = v.sub(ga.mul(ga));
        }
        Tensor direction = g.div(vt.sqrt().add(eps));
        if (momentum > 0) {
            Tensor b = state(name, "momentum_buffer");
            b.assign(b.mul(momentum).add(direction));
            direction = b;
        }
        p.assign(p.sub(direction.mul(lr)));
    }

    @Override
    protected void writeHyperparameters(JsonObject o) {
        o.addProperty("alpha", alpha);
        o.addProperty("eps", eps);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("momentum", momentum);
        o.addProperty("centered", centered);
    }
}
