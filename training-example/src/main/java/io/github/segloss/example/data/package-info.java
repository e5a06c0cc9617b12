/**
 * The data layer of segloss-train: {@link io.github.segloss.example.data.SampleSource}s that decode
 * the synthetic shapes, folder, Pascal VOC and COCO formats into {@link
 * io.github.segloss.example.data.Sample}s, the {@link
 * io.github.segloss.example.data.JointAugmentation} of an image with its targets, and the DJL
 * {@link io.github.segloss.example.data.SemanticDataset} that batches them.
 *
 * <p>Every format is opened through {@link io.github.segloss.example.data.DataSources}. Bad input
 * (a missing folder, a mask of the wrong size, a malformed annotation file) is an {@link
 * java.lang.IllegalArgumentException} whose message names the file and the problem. No file outside
 * the dataset root is ever read. {@link io.github.segloss.example.data.DataChecks} holds a run's
 * limit on image size (checked from the header, before decoding) and whether bad samples are
 * skipped and counted instead of stopping the run.
 */
package io.github.segloss.example.data;
