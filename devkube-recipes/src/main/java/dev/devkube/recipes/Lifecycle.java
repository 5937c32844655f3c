package dev.devkube.recipes;

import dev.devkube.k8s.Condition;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeCollection;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.UnknownKindException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** An environment's status and teardown, from its spec: the same before and after a deploy. */
final class Lifecycle {
  private Lifecycle() {}

  /** The kinds an environment is made of, in the order a status lists them. */
  private static final List<List<String>> KINDS =
      List.of(
          List.of("apps/v1", "Deployment"),
          List.of("v1", "PersistentVolumeClaim"),
          List.of("v1", "Service"),
          List.of("v1", "ConfigMap"),
          List.of("v1", "Secret"),
          List.of("networking.k8s.io/v1", "NetworkPolicy"),
          List.of("cilium.io/v2", "CiliumNetworkPolicy"));

  /**
   * Every object of the environment that exists (found by its labels, whatever deployed it), and
   * whether it is ready; then each object {@code planned} would make that does not exist.
   */
  static EnvironmentStatus status(
      KubeClient kube, RecipeContext context, @Nullable EnvironmentSpec planned) {
    String ours = selector(context);
    boolean cilium = serves(kube, "cilium.io/v2", "CiliumNetworkPolicy");
    List<EnvironmentStatus.Part> parts = new ArrayList<>();
    Set<String> found = new HashSet<>();
    for (List<String> kind : KINDS) {
      if (kind.get(1).equals("CiliumNetworkPolicy") && !cilium) {
        continue;
      }
      for (KubeObject current :
          kube.resources(kind.get(0), kind.get(1))
              .inNamespace(context.namespace())
              .withLabelSelector(ours)
              .list()) {
        boolean ready =
            switch (kind.get(1)) {
              case "Deployment" ->
                  Conditions.deploymentAvailable().check(current).outcome()
                      == Condition.Outcome.MET;
              case "PersistentVolumeClaim" -> "Bound".equals(current.getString("status.phase"));
              default -> true;
            };
        parts.add(
            new EnvironmentStatus.Part(kind.get(1), String.valueOf(current.name()), true, ready));
        found.add(kind.get(1) + "/" + current.name());
      }
    }
    if (planned != null) {
      for (KubeObject object : planned.objects(new NfsShare("0.0.0.0", "/"))) {
        if (cilium && "NetworkPolicy".equals(object.kind())) {
          object = planned.nfs().ciliumAccessPolicy(context);
        }
        String kind = String.valueOf(object.kind());
        if (found.add(kind + "/" + object.name())) {
          parts.add(new EnvironmentStatus.Part(kind, String.valueOf(object.name()), false, false));
        }
      }
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
    String ours = selector(context);
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

  /** The label selector of every object the environment is made of. */
  private static String selector(RecipeContext context) {
    return RecipeContext.PART_OF
        + "="
        + context.environment()
        + ","
        + RecipeContext.MANAGED_BY
        + "=devkube";
  }
}
