package dev.recurrent.core.backend;

/** Reductions along one axis. */
public enum ReduceOp { SUM, MAX, MIN }
