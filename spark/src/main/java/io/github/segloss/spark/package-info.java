/**
 * segloss-spark: the {@code segloss-eval} command, which scores a semantic segmentation model on a
 * labelled dataset with Apache Spark. Each executor loads the model once ({@link
 * io.github.segloss.spark.ExecutorCache}), each partition scores a range of samples in batches into
 * mergeable counts ({@link io.github.segloss.spark.PartitionScorer}), and the driver merges them
 * with {@code treeAggregate} and writes {@code metrics.json} ({@link
 * io.github.segloss.spark.SparkEvaluation}).
 */
package io.github.segloss.spark;
