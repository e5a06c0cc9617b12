/** segloss-train: trains and fine-tunes segmentation models with the segloss losses. */
package io.github.segloss.example;
