/**
 * Evaluation of a semantic model on a labelled dataset at each image's own resolution: the model
 * ({@link io.github.segloss.example.eval.EvaluationModel}), the scoring of images into mergeable
 * counts ({@link io.github.segloss.example.eval.Evaluation}, {@link
 * io.github.segloss.example.eval.EvaluationCounts}), the prediction files and {@code metrics.json}.
 * {@code segloss-train evaluate} runs it in one process; segloss-spark runs the same code per
 * partition and merges the counts.
 */
package io.github.segloss.example.eval;
