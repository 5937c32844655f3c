package dev.devkube.recipes;

import dev.devkube.k8s.Condition;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A part of a deployed {@link DevEnvironment}, for reaching inside it: {@link DevEnvironment#exec},
 * {@link DevEnvironment#shell}, {@link DevEnvironment#forward}.
 */
public enum Part {
  /** The NFS server that holds the share. */
  NFS(NfsServer.ROLE),
  /** The ssh jump server; the share is at {@code /mnt/nfs}. */
  SSH(SshServer.ROLE),
  /** nginx serving the share from {@code /usr/share/nginx/html}. */
  WEB(WebServer.ROLE),
  /** The browser IDE, with the share as its workspace. */
  IDE(IdeServer.ROLE),
  /** The toolbox, with the share at {@code /mnt/nfs}. */
  TOOLBOX(Toolbox.ROLE),
  /** The Postgres database. */
  POSTGRES(Postgres.ROLE),
  /** The Redis cache. */
  REDIS(Redis.ROLE);

  private final String role;

  Part(String role) {
    this.role = role;
  }

  /** The part's pods in an environment, in any state. */
  List<KubeObject> pods(KubeClient kube, RecipeContext context) {
    List<KubeObject> pods = new ArrayList<>();
    kube.resources("v1", "Pod")
        .inNamespace(context.namespace())
        .withLabels(context.selector(role))
        .list()
        .forEach(pods::add);
    return pods;
  }

  /**
   * A ready pod of the part.
   *
   * @throws IllegalStateException when it has none (not deployed, or not up)
   */
  KubeObject readyPod(KubeClient kube, RecipeContext context) {
    for (KubeObject pod : pods(kube, context)) {
      if (pod.getString("metadata.deletionTimestamp") == null
          && Conditions.podReady().check(pod).outcome() == Condition.Outcome.MET) {
        return pod;
      }
    }
    throw new IllegalStateException(
        "no ready pod of "
            + this
            + " in "
            + context.namespace()
            + " (role="
            + role
            + "): is it deployed and up?");
  }

  /** The {@code role} label that selects the part's pods (with the environment's part-of label). */
  public String role() {
    return role;
  }
}
