package dev.recurrent.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode differentiation over the recorded graph. Iterative: nodes are visited in decreasing
 * creation order, so a graph of any depth (an unrolled sequence of 100,000 steps) needs no Java stack.
 */
public final class Autograd {
    private Autograd() { }

    /**
     * Accumulates d(root)/d(leaf), weighted by {@code upstream}, into {@code grad()} of every leaf that
     * requires it. {@code upstream} may be null only for a single-element root.
     *
     * @param retainGraph keep the saved values so backward can run through this graph again
     * @param createGraph record the backward pass itself, so the gradients can be differentiated again
     */
    public static void backward(Tensor root, Tensor upstream, boolean retainGraph, boolean createGraph) {
        run("backward", root, upstream, retainGraph, createGraph, null, false);
    }

    /**
     * The gradients of {@code output} with respect to {@code inputs} (leaves or intermediate tensors),
     * without touching any {@code grad()}. An input that {@code output} does not depend on gets zeros.
     */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, Tensor upstream, boolean retainGraph, boolean createGraph) {
        Map<Node, Tensor> wanted = new IdentityHashMap<>();
        for (Tensor in : inputs) {
            if (in.node == null) {
                throw new IllegalArgumentException("grad: an input does not require grad (shape " + in.shape()
                        + "); call requiresGrad(true) on it before computing the output");
            }
            wanted.put(in.node, null);
        }
        run("grad", output, upstream, retainGraph, createGraph, wanted, false);
        List<Tensor> result = new ArrayList<>(inputs.size());
        for (Tensor in : inputs) {
            Tensor g = wanted.get(in.node);
            result.add(g != null ? g : Tensor.zeros(in.backend(), in.dtype(), in.shape()));
        }
        return result;
    }

    /**
     * The partial derivatives of {@code output} with respect to {@code inputs} taken as independent
     * variables: the walk stops at the inputs, so nothing they were computed from is visited, and their
     * nodes stay intact for a backward pass that is still running. This is how a composite op defines its
     * VJP by differentiating its own tensor-op definition (with {@code createGraph} on, the result is
     * recorded). The part of the graph between the inputs and {@code output} is freed, unless recorded (the
     * recorded gradients run through it).
     *
     * <p>{@code inputs} must include every tensor with a graph that {@code output} was computed from;
     * otherwise this throws before computing anything (the walk would leave the definition). A tensor
     * listed at several positions gets its whole gradient at the first and zeros at the others, so a
     * caller that adds them up (as autograd does for an op's inputs) counts it once. An input with no graph
     * (a constant) or that {@code output} does not depend on gets zeros.
     */
    public static List<Tensor> partials(Tensor output, List<Tensor> inputs, Tensor upstream, boolean createGraph) {
        Map<Node, Tensor> wanted = new IdentityHashMap<>();
        for (Tensor in : inputs) if (in.node != null) wanted.put(in.node, null);
        if (output.node != null) {
            if (wanted.containsKey(output.node)) wanted.put(output.node, upstream);
            else run("partials", output, upstream, createGraph, createGraph, wanted, true);
        }
        List<Tensor> result = new ArrayList<>(inputs.size());
        Set<Node> given = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor in : inputs) {
            Tensor g = in.node != null && given.add(in.node) ? wanted.get(in.node) : null;
            result.add(g != null ? g : Tensor.zeros(in.backend(), in.dtype(), in.shape()));
        }
        return result;
    }

    /** The gradients of a single-element {@code output}, graph freed afterwards. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs) {
        return grad(output, inputs, null, false, false);
    }

    private static void run(String what, Tensor root, Tensor upstream, boolean retain, boolean create, Map<Node, Tensor> wanted,
                            boolean stopAtWanted) {
        if (root.node == null) {
            throw new IllegalStateException(what + ": the tensor " + root.shape() + " does not require grad: no input of it"
                    + " requires grad, or it was computed in no-grad mode");
        }
        if (upstream == null) {
            if (root.size() != 1) {
                throw new IllegalArgumentException(what + ": the output has shape " + root.shape()
                        + "; a non-scalar output needs an explicit upstream gradient of that shape");
            }
            upstream = Tensor.full(root.backend(), root.dtype(), root.shape(), 1.0);
        } else {
            ShapeException.require(upstream.shape().equals(root.shape()), what, "the upstream gradient must have the output's shape",
                    upstream.shape(), root.shape());
            if (upstream.dtype() != root.dtype() || upstream.backend() != root.backend()) {
                throw new IllegalArgumentException(what + ": the upstream gradient is " + upstream.dtype() + " on " + upstream.backend().name()
                        + ", the output is " + root.dtype() + " on " + root.backend().name());
            }
        }
        List<Node> order = reachable(root.node, stopAtWanted ? wanted.keySet() : Set.of());
        if (stopAtWanted) {
            for (Node n : order) {
                if (n.isLeaf() && !wanted.containsKey(n)) {
                    throw new IllegalArgumentException(what + ": the output depends on a tensor of shape " + n.leaf.shape()
                            + " that requires grad and is not among the inputs; list every tensor the definition uses");
                }
            }
        }
        Map<Node, Tensor> grads = new IdentityHashMap<>();
        // Sums this pass made itself and nobody else has seen: further gradients are added into them in
        // place (a weight shared by T steps would otherwise allocate T sums). Only when not recording.
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        grads.put(root.node, create ? upstream : upstream.detach());
        OpProfile profile = OpProfile.current();
        try (GradMode.Scope mode = create ? GradMode.on() : GradMode.off()) {
            for (Node node : order) {
                Tensor g = grads.remove(node);
                if (g == null) continue;
                owned.remove(g);
                if (wanted != null && wanted.containsKey(node)) {
                    wanted.put(node, g);
                    if (stopAtWanted) continue;
                }
                if (node.isLeaf()) {
                    long started = profile == null ? 0 : System.nanoTime();
                    if (wanted == null) accumulate(node.leaf, g, create);
                    if (profile != null) profile.backward("(leaf gradients)", System.nanoTime() - started);
                    continue;
                }
                if (node.freed()) {
                    throw new IllegalStateException(what + ": the graph through '" + node.op.name() + "' was already freed by an"
                            + " earlier backward; pass retainGraph=true to the first backward to run through it again");
                }
                if (!create && node.op instanceof WindowVjp window && node.parents[0] != null
                        && window.windowOffset(node.inputs[0].shape()) >= 0) {
                    long started = profile == null ? 0 : System.nanoTime();
                    addIntoWindow(grads, owned, node, window.windowOffset(node.inputs[0].shape()), g);
                    if (profile != null) profile.backward(node.op.name() + " (window add)", System.nanoTime() - started);
                    continue;
                }
                Tensor[] gi;
                long started = profile == null ? 0 : profile.enterVjp();
                try {
                    gi = node.op.vjp(g, node.output, node.inputs);
                } finally {
                    if (profile != null) profile.exitVjp(node.op.name(), started);
                }
                if (gi.length != node.inputs.length) {
                    throw new IllegalStateException(node.op.name() + ": vjp returned " + gi.length + " gradients for "
                            + node.inputs.length + " inputs");
                }
                for (int i = 0; i < gi.length; i++) {
                    Node parent = node.parents[i];
                    if (parent == null || gi[i] == null) continue;
                    Tensor in = node.inputs[i];
                    if (!gi[i].shape().equals(in.shape()) || gi[i].dtype() != in.dtype()) {
                        throw new IllegalStateException(node.op.name() + ": vjp returned a gradient of " + gi[i].shape() + " "
                                + gi[i].dtype() + " for input " + i + " of " + in.shape() + " " + in.dtype());
                    }
                    Tensor prev = grads.get(parent);
                    if (prev == null) {
                        grads.put(parent, gi[i]);
                        continue;
                    }
                    long summing = profile == null ? 0 : System.nanoTime();
                    if (!create && owned.contains(prev)) {
                        prev.backend().axpy(1.0, gi[i].storage(), prev.storage());
                    } else {
                        Tensor sum = prev.add(gi[i]);
                        if (!create) owned.add(sum);
                        grads.put(parent, sum);
                    }
                    if (profile != null) profile.backward("(gradient sums)", System.nanoTime() - summing);
                }
            }
        } finally {
            if (!retain) for (Node n : order) if (!(stopAtWanted && wanted.containsKey(n))) n.free();
        }
    }

    /**
     * Adds {@code g} into the contiguous window at {@code offset} of the gradient of the node's input 0, in place;
     * the first such gradient is placed into zeros in one pass ({@code Backend#placed}).
     */
    private static void addIntoWindow(Map<Node, Tensor> grads, Set<Tensor> owned, Node node, int offset, Tensor g) {
        Tensor in = node.inputs[0];
        Tensor acc = grads.get(node.parents[0]);
        if (acc == null) {
            Tensor fresh = Tensor.wrap(in.backend().placed(g.storage(), in.size(), offset), in.shape());
            owned.add(fresh);
            grads.put(node.parents[0], fresh);
            return;
        }
        if (!owned.contains(acc)) {
            Tensor fresh = Tensor.zeros(in.backend(), in.dtype(), in.shape());
            fresh.backend().axpy(1.0, acc.storage(), fresh.storage());
            owned.add(fresh);
            grads.put(node.parents[0], fresh);
            acc = fresh;
        }
        acc.backend().addInto(acc.storage(), offset, g.storage());
    }

    /**
     * Adds {@code g} into a leaf's gradient. Without createGraph the gradient is storage the leaf owns:
     * allocated outside any MemoryScope (so it outlives the scope of the backward that made it, and gradients
     * accumulate over several scopes), then added into in place, and released by {@link Tensor#zeroGrad()}.
     * With createGraph it is a recorded tensor, so it can be differentiated again. Locked per leaf: one model
     * may be backpropagated from several threads at once.
     */
    private static void accumulate(Tensor leaf, Tensor g, boolean create) {
        synchronized (leaf) {
            Tensor prev = leaf.grad;
            if (create || (prev != null && !leaf.ownsGrad)) {
                leaf.grad = prev == null ? g : prev.add(g);
                leaf.ownsGrad = false;
            } else if (prev == null) {
                leaf.grad = Tensor.ownedCopy(g);
                leaf.ownsGrad = true;
            } else {
                prev.backend().axpy(1.0, g.storage(), prev.storage());
            }
        }
    }

    /** Every node reachable from {@code root} without passing through a node of {@code stop}, in decreasing id (reverse topological) order. */
    private static List<Node> reachable(Node root, Set<Node> stop) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Node> out = new ArrayList<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.add(root);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            out.add(n);
            if (stop.contains(n)) continue;
            for (Node p : n.parents) {
                if (p != null && seen.add(p)) stack.push(p);
            }
        }
        out.sort((x, y) -> Long.compare(y.id, x.id));
        return out;
    }
}
