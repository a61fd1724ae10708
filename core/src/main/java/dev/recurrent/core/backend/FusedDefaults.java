package dev.recurrent.core.backend;

import dev.recurrent.core.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The fused recurrent kernels of {@link Backend} ({@code lstmCell}, {@code gruCell} and their backward
 * kernels) written with the backend's own elementwise, slice and concat kernels: what a backend gets when
 * it does not provide its own single-pass loops. Intermediates are released as soon as they are used.
 * See {@link dev.recurrent.core.ops.LstmPointwise} and {@link dev.recurrent.core.ops.GruPointwise} for the math.
 */
final class FusedDefaults {
    private final Backend be;
    private final Shape shape;
    private final List<Storage> temps = new ArrayList<>();

    private FusedDefaults(Backend be, int batch, int hidden) {
        this.be = be;
        this.shape = Shape.of(batch, hidden);
    }

    private Storage t(Storage s) { temps.add(s); return s; }

    private Storage bin(BinaryOp op, Storage a, Storage b) { return t(be.binary(op, a, shape, b, shape, shape)); }

    private Storage un(UnaryOp op, Storage a) { return t(be.unary(op, a)); }

    /** 1 - x. */
    private Storage oneMinus(Storage a) { return t(be.scalar(ScalarOp.RSUB, a, 1.0)); }

    /** Block {@code k} of width {@code hidden} of a {@code [batch, blocks*hidden]} storage. */
    private Storage block(Storage x, int blocks, int k) {
        return t(be.slice(x, shape.dim(0), blocks, shape.dim(1), k, 1));
    }

    private Storage concat(Storage... parts) {
        int[] sizes = new int[parts.length];
        java.util.Arrays.fill(sizes, 1);
        return be.concat(List.of(parts), shape.dim(0), sizes, shape.dim(1));
    }

    private Storage done(Storage result) {
        for (Storage s : temps) if (s != result) s.release();
        return result;
    }

    static Storage lstm(Backend be, Storage gates, Storage c, int batch, int hidden) {
        FusedDefaults f = new FusedDefaults(be, batch, hidden);
        Storage i = f.un(UnaryOp.SIGMOID, f.block(gates, 4, 0)), fg = f.un(UnaryOp.SIGMOID, f.block(gates, 4, 1));
        Storage g = f.un(UnaryOp.TANH, f.block(gates, 4, 2)), o = f.un(UnaryOp.SIGMOID, f.block(gates, 4, 3));
        Storage c2 = f.bin(BinaryOp.ADD, f.bin(BinaryOp.MUL, fg, c), f.bin(BinaryOp.MUL, i, g));
        Storage h2 = f.bin(BinaryOp.MUL, o, f.un(UnaryOp.TANH, c2));
        return f.done(f.concat(h2, c2));
    }

    static Storage lstmBackward(Backend be, Storage gates, Storage c, Storage grad, int batch, int hidden) {
        FusedDefaults f = new FusedDefaults(be, batch, hidden);
        Storage i = f.un(UnaryOp.SIGMOID, f.block(gates, 4, 0)), fg = f.un(UnaryOp.SIGMOID, f.block(gates, 4, 1));
        Storage g = f.un(UnaryOp.TANH, f.block(gates, 4, 2)), o = f.un(UnaryOp.SIGMOID, f.block(gates, 4, 3));
        Storage c2 = f.bin(BinaryOp.ADD, f.bin(BinaryOp.MUL, fg, c), f.bin(BinaryOp.MUL, i, g));
        Storage tc = f.un(UnaryOp.TANH, c2);
        Storage dh = f.block(grad, 2, 0), dc2 = f.block(grad, 2, 1);
        // dct = dc' + dh·o·(1 - tanh²c')
        Storage dct = f.bin(BinaryOp.ADD, dc2, f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, dh, o), f.oneMinus(f.bin(BinaryOp.MUL, tc, tc))));
        Storage di = f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, dct, g), f.bin(BinaryOp.MUL, i, f.oneMinus(i)));
        Storage df = f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, dct, c), f.bin(BinaryOp.MUL, fg, f.oneMinus(fg)));
        Storage dg = f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, dct, i), f.oneMinus(f.bin(BinaryOp.MUL, g, g)));
        Storage dO = f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, dh, tc), f.bin(BinaryOp.MUL, o, f.oneMinus(o)));
        Storage dc = f.bin(BinaryOp.MUL, dct, fg);
        return f.done(f.concat(di, df, dg, dO, dc));
    }

    static Storage gru(Backend be, Storage a, Storage b, Storage h, int batch, int hidden) {
        FusedDefaults f = new FusedDefaults(be, batch, hidden);
        Storage r = f.un(UnaryOp.SIGMOID, f.bin(BinaryOp.ADD, f.block(a, 3, 0), f.block(b, 3, 0)));
        Storage z = f.un(UnaryOp.SIGMOID, f.bin(BinaryOp.ADD, f.block(a, 3, 1), f.block(b, 3, 1)));
        Storage n = f.un(UnaryOp.TANH, f.bin(BinaryOp.ADD, f.block(a, 3, 2), f.bin(BinaryOp.MUL, r, f.block(b, 3, 2))));
        Storage out = be.binary(BinaryOp.ADD, n, f.shape, f.bin(BinaryOp.MUL, z, f.bin(BinaryOp.SUB, h, n)), f.shape, f.shape);
        return f.done(out);
    }

    static Storage gruBackward(Backend be, Storage a, Storage b, Storage h, Storage grad, int batch, int hidden) {
        FusedDefaults f = new FusedDefaults(be, batch, hidden);
        Storage bn = f.block(b, 3, 2);
        Storage r = f.un(UnaryOp.SIGMOID, f.bin(BinaryOp.ADD, f.block(a, 3, 0), f.block(b, 3, 0)));
        Storage z = f.un(UnaryOp.SIGMOID, f.bin(BinaryOp.ADD, f.block(a, 3, 1), f.block(b, 3, 1)));
        Storage n = f.un(UnaryOp.TANH, f.bin(BinaryOp.ADD, f.block(a, 3, 2), f.bin(BinaryOp.MUL, r, bn)));
        Storage dAn = f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, grad, f.oneMinus(z)), f.oneMinus(f.bin(BinaryOp.MUL, n, n)));
        Storage dAz = f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, grad, f.bin(BinaryOp.SUB, h, n)), f.bin(BinaryOp.MUL, z, f.oneMinus(z)));
        Storage dAr = f.bin(BinaryOp.MUL, f.bin(BinaryOp.MUL, dAn, bn), f.bin(BinaryOp.MUL, r, f.oneMinus(r)));
        Storage dBn = f.bin(BinaryOp.MUL, dAn, r);
        Storage dh = f.bin(BinaryOp.MUL, grad, z);
        return f.done(f.concat(dAr, dAz, dAn, dAr, dAz, dBn, dh));
    }
}
