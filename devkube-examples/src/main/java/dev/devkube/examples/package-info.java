/**
 * Runnable main classes that show devkube at work. {@link dev.devkube.examples.Demo} is the one the
 * README runs.
 */
@NullMarked
package dev.devkube.examples;

import org.jspecify.annotations.NullMarked;
