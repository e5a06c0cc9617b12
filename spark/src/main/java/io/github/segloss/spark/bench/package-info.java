/** The benchmark of segloss-eval: throughput against the single-process evaluator, driver heap. */
package io.github.segloss.spark.bench;
