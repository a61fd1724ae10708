package dev.recurrent.core.backend;

/** Elementwise functions of two broadcast arguments. Comparisons give 1 or 0 in the inputs' dtype. */
public enum BinaryOp { ADD, SUB, MUL, DIV, MAX, MIN, GT, GE, LT, LE, EQ }
