/** segloss: segmentation losses, metrics and target helpers for the Deep Java Library. */
package io.github.segloss;
