package dev.devkube.recipes;

import dev.devkube.k8s.Condition;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeCollection;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.UnknownKindException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An environment's status and teardown, from its spec: the same before and after a deploy. */
final class Lifecycle {
  private Lifecycle() {}

  /** Each object the spec makes: whether it exists and is ready. */
  static EnvironmentStatus status(KubeClient kube, EnvironmentSpec spec) {
    RecipeContext context = spec.context();
    boolean cilium = serves(kube, "cilium.io/v2", "CiliumNetworkPolicy");
    List<EnvironmentStatus.Part> parts = new ArrayList<>();
    for (KubeObject planned : spec.objects(new NfsShare("0.0.0.0", "/"))) {
      if (cilium && "NetworkPolicy".equals(planned.kind())) {
        planned = spec.nfs().ciliumAccessPolicy(context);
      }
      KubeObject current = kube.resource(planned).get().orElse(null);
      boolean ready =
          current != null
              && switch (String.valueOf(planned.kind())) {
                case "Deployment" ->
                    Conditions.deploymentAvailable().check(current).outcome()
                        == Condition.Outcome.MET;
                case "PersistentVolumeClaim" -> "Bound".equals(current.getString("status.phase"));
                default -> true;
              };
      parts.add(
          new EnvironmentStatus.Part(
              String.valueOf(planned.kind()),
              String.valueOf(planned.name()),
              current != null,
              ready));
    }
    return new EnvironmentStatus(
        context.environment(),
        context.namespace(),
        parts,
        Rollout.accessIps(kube, new ArrayList<>()));
  }

  /**
   * Removes what the environment made (found by its labels): Deployments, Services, the NFS access
   * policy (either kind), ConfigMaps, Secrets and, unless {@code keepData}, the claims holding the
   * share's files and the databases' data (and, on most clouds, their volumes). With {@code
   * keepData} the Secrets that belong with the data (the database passwords, the ssh host key) stay
   * too.
   *
   * @return how many objects were deleted
   */
  static int teardown(KubeClient kube, EnvironmentSpec spec, boolean keepData) {
    RecipeContext context = spec.context();
    String ours =
        RecipeContext.PART_OF
            + "="
            + context.environment()
            + ","
            + RecipeContext.MANAGED_BY
            + "=devkube";
    int deleted = 0;
    deleted += delete(kube, "apps/v1", "Deployment", context, ours);
    deleted += delete(kube, "v1", "Service", context, ours);
    deleted += delete(kube, "networking.k8s.io/v1", "NetworkPolicy", context, ours);
    deleted += delete(kube, "cilium.io/v2", "CiliumNetworkPolicy", context, ours);
    deleted += delete(kube, "v1", "ConfigMap", context, ours);
    deleted +=
        delete(
            kube,
            "v1",
            "Secret",
            context,
            keepData ? ours + ",!" + RecipeContext.KEEP_WITH_DATA : ours);
    if (!keepData) {
      // Asked to delete the data: the volumes a deploy set to Retain go with their claims again.
      KubeCollection claims = collection(kube, "v1", "PersistentVolumeClaim");
      if (claims != null) {
        for (KubeObject claim :
            claims.inNamespace(context.namespace()).withLabelSelector(ours).list()) {
          Rollout.setReclaimPolicy(kube, claim, "Delete", new ArrayList<>());
        }
      }
      deleted += delete(kube, "v1", "PersistentVolumeClaim", context, ours);
    }
    return deleted;
  }

  private static int delete(
      KubeClient kube, String apiVersion, String kind, RecipeContext context, String selector) {
    KubeCollection collection = collection(kube, apiVersion, kind);
    return collection == null
        ? 0
        : collection.inNamespace(context.namespace()).withLabelSelector(selector).delete();
  }

  private static boolean serves(KubeClient kube, String apiVersion, String kind) {
    return collection(kube, apiVersion, kind) != null;
  }

  /** The kind's objects, or null when the cluster does not serve it (Cilium's, elsewhere). */
  private static @Nullable KubeCollection collection(
      KubeClient kube, String apiVersion, String kind) {
    try {
      return kube.resources(apiVersion, kind);
    } catch (UnknownKindException e) {
      return null;
    }
  }
}
