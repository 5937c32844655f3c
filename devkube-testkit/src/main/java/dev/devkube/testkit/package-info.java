/**
 * Fakes of DigitalOcean and of a Kubernetes API server: real HTTP servers on loopback that users'
 * tests (and devkube's demo) run against, with no account and no cluster.
 *
 * <pre>{@code
 * try (FakeKubernetes cluster = FakeKubernetes.start();
 *     KubeClient kube = KubeClient.connect(cluster.credentials())) {
 *   assertThat(kube.resources("v1", "Node").names()).hasSize(2);
 * }
 * }</pre>
 */
@NullMarked
package dev.devkube.testkit;

import org.jspecify.annotations.NullMarked;
