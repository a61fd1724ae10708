package dev.recurrent.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A recorded op application. Ids grow with creation, and a node's inputs always exist before it, so
 * walking nodes by decreasing id is a valid reverse topological order (no recursion needed).
 * A leaf node stands for a tensor created by the user with {@code requiresGrad}; it accumulates into
 * that tensor's {@code grad}.
 */
final class Node {
    private static final AtomicLong IDS = new AtomicLong();

    final long id = IDS.incrementAndGet();
    final Op op;                // null for a leaf
    final Node[] parents;       // parents[i] is inputs[i]'s node, null when input i needs no gradient
    final Tensor leaf;          // the leaf tensor, for leaf nodes
    Tensor[] inputs;            // saved for the VJP; null once freed
    Tensor output;              // saved for the VJP; null once freed

    private Node(Op op, Tensor[] inputs, Node[] parents, Tensor leaf) {
        this.op = op;
        this.inputs = inputs;
        this.parents = parents;
        this.leaf = leaf;
    }

    static Node leaf(Tensor t) { return new Node(null, null, new Node[0], t); }

    static Node of(Op op, Tensor[] inputs, Node[] parents) { return new Node(op, inputs, parents, null); }

    boolean isLeaf() { return op == null; }

    boolean freed() { return !isLeaf() && inputs == null; }

    void free() {
        if (!isLeaf() && inputs != null) {
            inputs = null;
            output = null;
            op.freeSaved();
        }
    }
}
