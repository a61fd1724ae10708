package dev.recurrent.core;

import dev.recurrent.core.backend.Storage;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Frees, when it closes, the storage of every tensor created on this thread while it was the innermost
 * open scope, except those passed to {@link #keep}. Off-heap backends (OpenBLAS) release native memory at
 * that moment instead of waiting for the garbage collector; on the Java backend release does nothing.
 * <pre>
 * for (int step = 0; step &lt; n; step++) {
 *     try (MemoryScope scope = MemoryScope.open()) {
 *         Tensor loss = model.loss(batch);
 *         loss.backward();
 *         optimizer.step();          // updates parameters in place, so they outlive the scope
 *         scope.keep(someResult);    // anything to use after the scope
 *     }
 * }
 * </pre>
 * A tensor used after its scope closed fails with an IllegalStateException from its backend.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<ArrayDeque<MemoryScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final List<Storage> tracked = new ArrayList<>();
    private final Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Thread owner = Thread.currentThread();
    private boolean closed;

    private MemoryScope() { }

    public static MemoryScope open() {
        MemoryScope s = new MemoryScope();
        OPEN.get().push(s);
        return s;
    }

    static void track(Storage s) {
        MemoryScope top = OPEN.get().peek();
        if (top != null) top.tracked.add(s);
    }

    /** Keeps these tensors' storage alive past this scope (it moves to the enclosing scope, if any). */
    public MemoryScope keep(Tensor... tensors) {
        for (Tensor t : tensors) if (t != null) kept.add(t.storage());
        return this;
    }

    @Override
    public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner) throw new IllegalStateException("a MemoryScope must be closed by the thread that opened it");
        ArrayDeque<MemoryScope> stack = OPEN.get();
        if (stack.peek() != this) throw new IllegalStateException("MemoryScope closed out of order: close inner scopes first");
        stack.pop();
        closed = true;
        MemoryScope outer = stack.peek();
        Set<Storage> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Storage s : tracked) {
            if (!done.add(s)) continue;
            if (kept.contains(s)) {
                if (outer != null) outer.tracked.add(s);
            } else if (!s.released()) {
                s.release();
            }
        }
        tracked.clear();
    }
}
