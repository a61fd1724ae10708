package dev.recurrent.models.train;

import com.google.gson.JsonObject;
import dev.recurrent.core.Tensor;
import dev.recurrent.models.Parameter;

import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) and AdamW (Loshchilov and Hutter 2019, decoupled weight decay), as
 * {@code torch.optim.Adam} / {@code torch.optim.AdamW}:
 * <pre>
 *   p  = p (1 - lr lambda)                            (AdamW: decoupled decay)
 *   g  = grad + lambda p                              (Adam: L2 decay folded into the gradient)
 *   m  = beta1 m + (1 - beta1) g
 *   v  = beta2 v + (1 - beta2) g^2
 *   vmax = max(vmax, v)                               (amsgrad; then v below means vmax)
 *   p  = p - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * State: {@code exp_avg}, {@code exp_avg_sq}, {@code max_exp_avg_sq} (amsgrad). Defaults as PyTorch:
 * betas (0.9, 0.999), eps 1e-8, weight decay 0 for Adam and 0.01 for AdamW.
 */
public final class Adam extends Optimizer {
    private final double beta1, beta2, eps, weightDecay;
    private final boolean amsgrad, decoupled;

    public Adam(Map<String, Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                boolean amsgrad, boolean decoupled) {
        super(decoupled ? "adamw" : "adam", params, lr);
        String type = decoupled ? "adamw" : "adam";
        requireFraction(type, "beta1", beta1);
        requireFraction(type, "beta2", beta2);
        requireNonNegative(type, "eps", eps);
        requireNonNegative(type, "weight decay", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
        this.decoupled = decoupled;
        addState("exp_avg", 0);
        addState("exp_avg_sq", 0);
        if (amsgrad) addState("max_exp_avg_sq", 0);
    }

    /** Adam with PyTorch's defaults and this learning rate. */
    public static Adam adam(Map<String, Parameter> params, double lr) { return new Adam(params, lr, 0.9, 0.999, 1e-8, 0, false, false); }

    /** AdamW with PyTorch's defaults (weight decay 0.01) and this learning rate. */
    public static Adam adamW(Map<String, Parameter> params, double lr) { return new Adam(params, lr, 0.9, 0.999, 1e-8, 0.01, false, true); }

    /** AdamW with this decoupled weight decay. */
    public static Adam adamW(Map<String, Parameter> params, double lr, double weightDecay) {
        return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, false, true);
    }

    @Override
    protected void update(String name, Tensor p, Tensor g, long t, double lr) {
        if (weightDecay != 0) {
            if (decoupled) p.assign(p.mul(1 - lr * weightDecay));
            else g = g.add(p.mul(weightDecay));
        }
        Tensor m = state(name, "exp_avg"), v = state(name, "exp_avg_sq");
        m.assign(m.mul(beta1).add(g.mul(1 - beta1)));
        v.assign(v.mul(beta2).add(g.mul(g).mul(1 - beta2)));
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        Tensor second = v;
        if (amsgrad) {
            Tensor vmax = state(name, "max_exp_avg_sq");
            vmax.assign(Tensor.where(v.gt(vmax), v, vmax));
            second = vmax;
        }
        Tensor denom = second.sqrt().div(Math.sqrt(bc2)).add(eps);
        p.assign(p.sub(m.div(denom).mul(lr / bc1)));
    }

    @Override
    protected void writeHyperparameters(JsonObject o) {
        o.addProperty("beta1", beta1);
        o.addProperty("beta2", beta2);
        o.addProperty("eps", eps);
        o.addProperty("weight_decay", weightDecay);
        o.addProperty("amsgrad", amsgrad);
    }
}
