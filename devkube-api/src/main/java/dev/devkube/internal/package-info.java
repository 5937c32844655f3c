/** Helpers shared by devkube's modules. Not API: anything here may change without notice. */
@NullMarked
package dev.devkube.internal;

import org.jspecify.annotations.NullMarked;
