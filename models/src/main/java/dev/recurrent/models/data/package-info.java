/**
 * Training data: {@link dev.recurrent.models.data.Batch} (time-major sequences, targets, step mask), the
 * character-level {@link dev.recurrent.models.data.TextDataset} with its {@link dev.recurrent.models.data.Vocabulary},
 * the synthetic tasks (hello, the adding problem, copy, sine waves) and the seeded generator
 * {@link dev.recurrent.models.data.Rng} whose whole state is one {@code long}. Every
 * {@link dev.recurrent.models.data.Dataset} gives batch {@code i} as a pure function of its seed and {@code i}.
 */
package dev.recurrent.models.data;
