/**
 * {@code KubeClient}, a generic Kubernetes REST client: any kind, built-in or custom, as {@link
 * dev.devkube.k8s.KubeObject}s that keep every field; server-side apply, waits on watch events,
 * logs, exec, port-forward and copy.
 *
 * <pre>{@code
 * try (KubeClient kube = KubeClient.fromKubeconfig()) {   // or connect(cluster), inCluster()
 *   KubeObject cm = KubeObject.of("v1", "ConfigMap", "settings").set("data.mode", "dev");
 *   kube.resource(cm).apply();
 *   kube.resource(KubeObject.of("apps/v1", "Deployment", "nfs"))
 *       .waitUntil(Conditions.deploymentAvailable(), Duration.ofMinutes(5));
 * }
 * }</pre>
 */
@NullMarked
package dev.devkube.k8s;

import org.jspecify.annotations.NullMarked;
