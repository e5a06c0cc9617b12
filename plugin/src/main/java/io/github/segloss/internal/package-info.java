/** Shared pieces of the segloss losses; not public API. */
package io.github.segloss.internal;
