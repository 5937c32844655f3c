/**
 * Runnable main classes that show devkube at work, each a short walkthrough: {@link
 * dev.devkube.examples.CreateCluster}, {@link dev.devkube.examples.DeployDevEnvironment}, {@link
 * dev.devkube.examples.Teardown} and {@link dev.devkube.examples.Demo}, the one the README runs (on
 * the built-in fakes when no DigitalOcean token is set). Each takes {@code --help}; {@code
 * devkube-examples/run} starts them, and {@link dev.devkube.examples.Completion} gives bash their
 * options.
 */
@NullMarked
package dev.devkube.examples;

import org.jspecify.annotations.NullMarked;
