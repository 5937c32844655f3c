/**
 * The provider-neutral model of devkube: a {@link dev.devkube.CloudProvider} creates and manages
 * {@link dev.devkube.Cluster}s from a {@link dev.devkube.ClusterSpec}, and hands out {@link
 * dev.devkube.ClusterCredentials} that a Kubernetes client connects with.
 *
 * <pre>{@code
 * try (CloudProvider cloud = DigitalOcean.builder().token(token).build()) {
 *   Cluster cluster = cloud.clusters()
 *       .createOrGet(ClusterSpec.named("devkube").region("sfo2").latestVersion()
 *           .nodePool("devpool", "s-2vcpu-4gb", 2))
 *       .awaitRunning(Duration.ofMinutes(20), ProgressListener.toLog());
 *   cluster.credentials().writeTo(Path.of(".devkube", cluster.name()));
 * }
 * }</pre>
 *
 * <p>Every failure is an unchecked {@link dev.devkube.DevkubeException}; misuse by the caller is an
 * {@link IllegalArgumentException} or {@link IllegalStateException} thrown before any request.
 */
@NullMarked
package dev.devkube;

import org.jspecify.annotations.NullMarked;
