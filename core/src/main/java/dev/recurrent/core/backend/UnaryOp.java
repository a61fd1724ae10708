package dev.recurrent.core.backend;

/** Elementwise functions of one argument. STEP is 1 where x &gt; 0, else 0 (the derivative of relu). */
public enum UnaryOp { NEG, EXP, LOG, SQRT, ABS, SIGN, TANH, SIGMOID, RELU, STEP }
