/**
 * Durable file output of segloss-train: {@link io.github.segloss.example.files.AtomicFiles} writes
 * a file atomically (a reader or a crash sees the previous file or the new one, never half of one),
 * writes new files forced to the disk, renames atomically and syncs folders, for the reports and
 * the checkpoints alike; {@link io.github.segloss.example.files.OutputWriteException} is the one
 * failure a write reports (naming the file and the problem, e.g. a full disk).
 */
package io.github.segloss.example.files;
