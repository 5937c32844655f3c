package dev.devkube.recipes;

import dev.devkube.k8s.KubeObject;
import dev.devkube.testkit.FakeKubernetes;
import java.util.Map;
import java.util.TreeMap;

/** What an environment left in a fake cluster, read straight from its store. */
final class EnvironmentObjects {
  private EnvironmentObjects() {}

  /** {@code Kind/name} to resourceVersion of every object labelled as part of an environment. */
  static Map<String, String> versions(FakeKubernetes cluster, String namespace) {
    Map<String, String> versions = new TreeMap<>();
    for (String[] kind :
        new String[][] {
          {"apps/v1", "Deployment"},
          {"v1", "Service"},
          {"v1", "Secret"},
          {"v1", "ConfigMap"},
          {"v1", "PersistentVolumeClaim"},
          {"networking.k8s.io/v1", "NetworkPolicy"}
        }) {
      for (Map<String, Object> o : cluster.objects(kind[0], kind[1], namespace)) {
        KubeObject object = KubeObject.from(o);
        if (object.labels().containsKey(RecipeContext.PART_OF)) {
          versions.put(kind[1] + "/" + object.name(), object.resourceVersion());
        }
      }
    }
    return versions;
  }
}
