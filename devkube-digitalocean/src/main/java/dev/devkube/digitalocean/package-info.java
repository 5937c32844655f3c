/**
 * DigitalOcean Kubernetes (DOKS) as a {@link dev.devkube.CloudProvider}.
 *
 * <pre>{@code
 * try (CloudProvider cloud = DigitalOcean.fromEnvironment()) {   // DIGITALOCEAN_ACCESS_TOKEN
 *   Cluster cluster = cloud.clusters()
 *       .createOrGet(ClusterSpec.named("devkube").region("sfo2").nodePool("devpool", "s-2vcpu-4gb", 2))
 *       .awaitRunning(Duration.ofMinutes(20), ProgressListener.toLog());
 *   cluster.credentials().writeTo(Path.of(".devkube", cluster.name()));
 *   cluster.delete(DeleteOption.DESTROY_VOLUMES);
 * }
 * }</pre>
 */
@NullMarked
package dev.devkube.digitalocean;

import org.jspecify.annotations.NullMarked;
