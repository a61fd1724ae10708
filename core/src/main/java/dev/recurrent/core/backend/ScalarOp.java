package dev.recurrent.core.backend;

/**
 * Elementwise functions of an element x and a scalar s: ADD x+s, MUL x*s, POW x^s, MAX max(x,s),
 * MIN min(x,s), RSUB s-x, RDIV s/x, and comparisons GT x&gt;s, GE x&gt;=s, LT x&lt;s, LE x&lt;=s that
 * give 1 or 0 in the dtype of x.
 */
public enum ScalarOp { ADD, MUL, POW, MAX, MIN, RSUB, RDIV, GT, GE, LT, LE }
