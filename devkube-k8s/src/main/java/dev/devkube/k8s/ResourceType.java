package dev.devkube.k8s;

import dev.devkube.internal.Validation;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the API server calls a kind: its group, version, plural resource name and scope, and the
 * verbs and subresources it serves. Gives the URL paths of its collections and items.
 *
 * <pre>{@code
 * ResourceType deployments = kube.resolve("apps/v1", "Deployment");
 * deployments.itemPath("default", "nfs");   // /apis/apps/v1/namespaces/default/deployments/nfs
 * kube.resolve("v1", "Node").itemPath(null, "n1");   // /api/v1/nodes/n1
 * }</pre>
 *
 * @param group the API group, empty for the core group
 * @param version the version, e.g. {@code v1}
 * @param kind the kind, e.g. {@code Deployment}
 * @param plural the resource name in URLs, e.g. {@code deployments}
 * @param namespaced whether objects live in a namespace
 * @param verbs the verbs the server serves, e.g. {@code get}, {@code list}, {@code watch}
 * @param subresources the subresources, e.g. {@code status}, {@code scale}
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    boolean namespaced,
    List<String> verbs,
    List<String> subresources) {

  public ResourceType {
    Objects.requireNonNull(group, "group");
    Validation.requireNonBlank("version", version);
    Validation.requireNonBlank("kind", kind);
    Validation.requireNonBlank("plural", plural);
    verbs = List.copyOf(verbs);
    subresources = List.copyOf(subresources);
  }

  /** {@code v1} for the core group, else {@code group/version}. */
  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** Whether the server serves {@code verb} for this kind. */
  public boolean supports(String verb) {
    return verbs.contains(verb);
  }

  /**
   * The path of the collection: in {@code namespace} for a namespaced kind, or across all
   * namespaces when it is null; cluster-scoped kinds ignore the namespace.
   */
  public String collectionPath(@Nullable String namespace) {
    String base = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return namespaced && namespace != null
        ? base + "/namespaces/" + namespace + "/" + plural
        : base + "/" + plural;
  }

  /**
   * The path of one object.
   *
   * @throws IllegalArgumentException when a namespaced kind has no namespace
   */
  public String itemPath(@Nullable String namespace, String name) {
    if (namespaced && namespace == null) {
      throw new IllegalArgumentException(kind + " " + name + " is namespaced: give a namespace");
    }
    return collectionPath(namespace) + "/" + name;
  }

  @Override
  public String toString() {
    return apiVersion()
        + " "
        + kind
        + " ("
        + plural
        + ", "
        + (namespaced ? "namespaced" : "cluster")
        + ")";
  }
}
