package dev.devkube.recipes;

import dev.devkube.k8s.KubeObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A data service of the environment, {@link Postgres} or {@link Redis}: a credentials Secret kept
 * with the data, a claim, a Recreate Deployment on it and a ClusterIP Service; deployed first, as
 * they need nothing else.
 */
public abstract sealed class DataStore permits Postgres, Redis {
  /** The claim that holds the data (its size and storage class). */
  final NfsServer volume;

  DataStore(NfsServer volume) {
    this.volume = volume;
  }

  /** The data volume's size, such as {@code 1Gi}. */
  public String size() {
    return volume.size();
  }

  /** The data volume's storage class; null for the cluster's default. */
  public @Nullable String storageClass() {
    return volume.storageClass();
  }

  /** The password the caller gave, or null for a generated one. */
  abstract @Nullable String givenPassword();

  /** The credentials Secret holding {@code password}. */
  abstract KubeObject secret(RecipeContext context, String password);

  /**
   * Refuses, before anything is applied, a spec the data already on the volume cannot follow;
   * {@code stored} is the credentials Secret as it exists.
   */
  void checkStored(RecipeContext context, KubeObject stored) {}

  /** A key of a Secret's data, decoded; null when missing. */
  static @Nullable String decoded(KubeObject secret, String key) {
    String value = secret.getString("data." + key);
    return value == null
        ? null
        : new String(
            java.util.Base64.getDecoder().decode(value), java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The claim, the Deployment and the Service, with {@code secret}. */
  abstract Objects server(RecipeContext context, KubeObject secret);

  /** Where applications find it; the password is only in the Secret. */
  abstract DataService access(RecipeContext context);

  /** The option that changes the claim's storage class, for the missing-class message. */
  abstract String storageClassSetter();

  /**
   * A data store's objects.
   *
   * @param secret its credentials Secret, written only when missing (the data keeps the password it
   *     was made with), and kept with the data
   * @param claim the PersistentVolumeClaim that holds the data
   * @param deployment the server, a Recreate Deployment
   * @param service its ClusterIP Service
   */
  public record Objects(
      KubeObject secret, KubeObject claim, KubeObject deployment, KubeObject service) {
    /** In the order they are applied. */
    public List<KubeObject> all() {
      return List.of(secret, claim, deployment, service);
    }
  }

  /**
   * The Secret (given or newly generated password), the claim, the server and its Service. No I/O.
   */
  public Objects objects(RecipeContext context) {
    return server(context, secret(context, Passwords.orGenerated(givenPassword())));
  }

  /** A credentials Secret labelled to stay when the data stays. */
  static KubeObject secret(
      RecipeContext context, String name, String component, Map<String, String> values) {
    return Manifests.secret(context, name, component, values)
        .label(RecipeContext.KEEP_WITH_DATA, "true");
  }

  /**
   * A one-replica Recreate Deployment with the claim mounted as volume {@code data} writable by
   * {@code fsGroup}.
   */
  static KubeObject deployment(
      RecipeContext context,
      String name,
      String role,
      String claim,
      Map<String, Object> container,
      int fsGroup) {
    return Manifests.deployment(
            context,
            name,
            name,
            role,
            true,
            Manifests.list(container),
            Manifests.list(
                Manifests.map(
                    "name", "data", "persistentVolumeClaim", Manifests.map("claimName", claim))))
        .set("spec.template.spec.securityContext", Manifests.map("fsGroup", fsGroup));
  }
}
