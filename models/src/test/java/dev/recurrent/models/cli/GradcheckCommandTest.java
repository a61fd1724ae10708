package dev.recurrent.models.cli;

import dev.recurrent.core.Op;
import dev.recurrent.core.Shape;
import dev.recurrent.core.Tensor;
import dev.recurrent.core.backend.Backend;
import dev.recurrent.core.backend.Backends;
import dev.recurrent.core.backend.ScalarOp;
import dev.recurrent.core.backend.Storage;
import dev.recurrent.models.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static dev.recurrent.models.cli.Cli.rnn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rnn gradcheck}: passes on the java backend, covers every op and cell, and fails (exit 1) on a wrong gradient. */
class GradcheckCommandTest {
    /** y = x³ with a deliberately wrong VJP: 2x²·dy instead of 3x²·dy. */
    static final class WrongCube implements Op {
        @Override public String name() { return "wrongCube"; }
        @Override public Shape shape(Shape... in) { return in[0]; }
        @Override public Storage forward(Backend be, Shape out, Tensor... in) { return be.scalar(ScalarOp.POW, in[0].storage(), 3); }
        @Override public Tensor[] vjp(Tensor dy, Tensor y, Tensor... in) { return new Tensor[] {dy.mul(in[0].pow(2).mul(2))}; }
    }

    @Test
    void everyOpAndCellPassesOnJava() {
        Run r = rnn("gradcheck", "--backend", "java");
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals("", r.err());
        assertTrue(r.out().startsWith("gradcheck on " + Backends.get("java").describe()), r.out());
        for (String op : List.of("add", "sub", "mul", "div", "neg", "exp", "log", "sqrt", "pow", "abs", "tanh", "sigmoid", "relu", "clamp", "where",
                "matmul aᵀ·b", "matmul a·bᵀ", "matmul batched", "transpose", "reshape", "sum", "mean", "max", "concat", "stack", "slice", "chunk",
                "unbind", "gatherRows", "softmax", "logSoftmax", "crossEntropy", "mse", "dropout", "cast",
                "cell elman tanh", "cell elman relu", "cell jordan", "cell lstm", "cell gru", "cell lstm: dL/dh_t", "cell gru: BPTT")) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(op) && l.endsWith("pass")), op + " has a passing row:\n" + r.out());
        }
        int rows = GradcheckCommand.all().size();
        assertEquals(rows, r.out().lines().filter(l -> l.endsWith("  pass")).count(), "one row per check");
        assertTrue(r.out().contains(rows + " checks, all passed"), r.out());
    }

    @Test
    void aWrongGradientFailsTheCommand() {
        GradientCheck good = OpChecks.op("tanh", x -> x.get(0).tanh(), OpChecks.any(2, 3));
        GradientCheck wrong = OpChecks.op("wrongCube", x -> Tensor.apply(new WrongCube(), x.get(0)), OpChecks.any(2, 3));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = Main.execute(new CommandLine(new GradcheckCommand(List.of(good, wrong))), new PrintWriter(out), new PrintWriter(err),
                "--backend", "java");
        assertEquals(1, status, out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("tanh") && l.endsWith("pass")), out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("wrongCube") && l.endsWith("FAIL")), out.toString());
        assertTrue(out.toString().contains("2 checks, 1 FAILED: wrongCube"), out.toString());
        assertTrue(out.toString().contains("GradCheck 'wrongCube' FAILED"), "the report says where: " + out);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("1 of 2 checks failed on java: wrongCube"), err.toString());
    }

    @Test
    void theTableMarksFailuresAndShowsTheirReports() {
        CheckTable t = new CheckTable()
                .add("fine", new GradientCheck.Outcome(1e-9, true, "ok"))
                .add("broken", new GradientCheck.Outcome(0.33, false, "broken: analytic 2, numeric 3"))
                .add("crashed", new GradientCheck.Outcome(Double.NaN, false, "crashed: IllegalStateException: no kernel"));
        String s = t.render();
        assertEquals(List.of("broken", "crashed"), t.failures());
        assertTrue(s.lines().anyMatch(l -> l.matches("fine\\s+1\\.0e-09\\s+pass")), s);
        assertTrue(s.lines().anyMatch(l -> l.matches("broken\\s+3\\.3e-01\\s+FAIL")), s);
        assertTrue(s.lines().anyMatch(l -> l.matches("crashed\\s+-\\s+FAIL")), s);
        assertTrue(s.contains("3 checks, 2 FAILED: broken, crashed") && s.contains("analytic 2, numeric 3") && s.contains("no kernel"), s);
        assertFalse(s.contains("all passed"), s);
    }

    @Test
    void aCheckThatThrowsIsAFailedRowNotACrash() {
        GradientCheck boom = new GradientCheck("boom", be -> { throw new IllegalStateException("no kernel for this"); });
        GradientCheck.Outcome o = boom.runOn(Backends.get("java"));
        assertFalse(o.passed());
        assertTrue(o.detail().contains("no kernel for this"), o.detail());
    }
}
