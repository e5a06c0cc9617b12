/** JMH benchmarks of the segloss losses, run by {@code benchmarks/compare.sh}. */
package io.github.segloss.benchmarks;
