/**
 * Recipes that deploy a development environment into any cluster: an NFS share on a cloud volume,
 * an ssh jump server and a web server that serve the same files; a browser IDE on the share, a
 * toolbox, Postgres and Redis when asked for, with passwords generated into Secrets and nothing
 * unauthenticated on the nodes.
 *
 * <pre>{@code
 * try (KubeClient kube = KubeClient.fromKubeconfig()) {
 *   DevEnvironment env = DevEnvironment.in(kube).sshKey(Path.of("id_ed25519.pub")).deploy();
 *   log.info("ssh: {}  web: {}", env.sshCommand(), env.webUrl());
 * }
 * }</pre>
 */
@NullMarked
package dev.devkube.recipes;

import org.jspecify.annotations.NullMarked;
