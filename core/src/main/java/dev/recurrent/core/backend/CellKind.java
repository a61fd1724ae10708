package dev.recurrent.core.backend;

/**
 * The recurrent cells a backend can run over a whole sequence in one call ({@link Backend#recurrence}).
 * {@link #gates()} is G, the number of {@code [B, H]} blocks of the gate pre-activations (the rows of
 * {@code W_hh} are {@code G·H}); {@link #states()} is S, the number of state tensors ({@code h}, and
 * {@code c} for LSTM).
 * <pre>
 *  TANH, RELU (Elman): h' = act(xp + h·W_hhᵀ)
 *  LSTM: [i, f, g, o] = xp + h·W_hhᵀ;  c' = σ(f)·c + σ(i)·tanh(g);  h' = σ(o)·tanh(c')
 *  GRU (PyTorch's variant): a = xp, b = h·W_hhᵀ + b_hh (blocks r, z, n);
 *       r = σ(a_r + b_r), z = σ(a_z + b_z), n = tanh(a_n + r·b_n);  h' = n + z·(h - n)
 * </pre>
 * {@code xp} is the input's share of the gates including every bias that can enter there (for GRU only
 * {@code b_ih}: {@code b_hn} is multiplied by r, so {@code b_hh} stays on the hidden side).
 */
public enum CellKind {
    TANH(1, 1), RELU(1, 1), LSTM(4, 2), GRU(3, 1);

    private final int gates, states;

    CellKind(int gates, int states) {
        this.gates = gates;
        this.states = states;
    }

    public int gates() { return gates; }

    public int states() { return states; }

    /** Whether {@code W_hh} comes with a hidden-side bias {@code b_hh} of {@code G·H} (GRU only). */
    public boolean hiddenBias() { return this == GRU; }
}
