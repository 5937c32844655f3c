package dev.devkube.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Authorization as a cluster's RBAC authorizer does it, from the Roles, ClusterRoles and their
 * bindings stored in the fake: members of {@code system:masters} may do anything; everyone else
 * what the rules bound to them (as a user, a group or a service account) grant, plus what every
 * authenticated user may do (discovery, reviews of their own access).
 */
public final class Rbac {
  /** An authenticated user: its name and groups. */
  public record User(String name, List<String> groups) {
    public boolean admin() {
      return groups.contains("system:masters");
    }
  }

  private final Store store;
  private final Kinds kinds;

  public Rbac(Store store, Kinds kinds) {
    this.store = store;
    this.kinds = kinds;
  }

  /** The kinds of the review APIs any authenticated user may create. */
  static boolean selfReview(Kinds.Kind kind) {
    return kind.kind().equals("SelfSubjectAccessReview")
        || kind.kind().equals("SelfSubjectRulesReview")
        || kind.kind().equals("SelfSubjectReview");
  }

  /** Whether {@code user} may {@code verb} the resource. */
  public boolean allowed(
      User user,
      String verb,
      Kinds.Kind kind,
      @Nullable String subresource,
      @Nullable String namespace,
      @Nullable String name) {
    if (user.admin() || (selfReview(kind) && verb.equals("create"))) {
      return true;
    }
    String resource = kind.plural() + (subresource == null ? "" : "/" + subresource);
    for (Object rule : rules(user, namespace)) {
      if (matches(rule, "verbs", verb)
          && matches(rule, "apiGroups", kind.group())
          && (matches(rule, "resources", resource)
              || (subresource == null && matches(rule, "resources", "*"))
              || (subresource != null && contains(rule, "resources", "*/" + subresource)))
          && names(rule, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(Object rule, String field, String value) {
    List<Object> values = Doc.list(rule, field);
    return values.contains("*") || values.contains(value);
  }

  private static boolean contains(Object rule, String field, String value) {
    return Doc.list(rule, field).contains(value);
  }

  private static boolean names(Object rule, @Nullable String name) {
    List<Object> names = Doc.list(rule, "resourceNames");
    return names.isEmpty() || (name != null && names.contains(name));
  }

  /**
   * The rules that apply to {@code user} in {@code namespace} (null: cluster-wide only), from the
   * ClusterRoleBindings and that namespace's RoleBindings.
   */
  public List<Object> rules(User user, @Nullable String namespace) {
    List<Object> rules = new ArrayList<>();
    if (user.admin()) {
      rules.add(
          Doc.obj("verbs", List.of("*"), "apiGroups", List.of("*"), "resources", List.of("*")));
      return rules;
    }
    Kinds.Kind clusterRoleBindings = kind("ClusterRoleBinding");
    Kinds.Kind roleBindings = kind("RoleBinding");
    for (Map<String, @Nullable Object> binding : store.list(clusterRoleBindings, null, o -> true)) {
      if (bound(binding, user)) {
        rules.addAll(roleRules(binding, null));
      }
    }
    if (namespace != null) {
      for (Map<String, @Nullable Object> binding : store.list(roleBindings, namespace, o -> true)) {
        if (bound(binding, user)) {
          rules.addAll(roleRules(binding, namespace));
        }
      }
    }
    return rules;
  }

  private Kinds.Kind kind(String kind) {
    return Objects.requireNonNull(kinds.byKind("rbac.authorization.k8s.io/v1", kind), kind);
  }

  private static boolean bound(Map<String, @Nullable Object> binding, User user) {
    for (Object subject : Doc.list(binding, "subjects")) {
      String kind = String.valueOf(Doc.get(subject, "kind"));
      String name = String.valueOf(Doc.get(subject, "name"));
      boolean match =
          switch (kind) {
            case "User" -> name.equals(user.name());
            case "Group" -> user.groups().contains(name);
            case "ServiceAccount" ->
                ("system:serviceaccount:" + Doc.get(subject, "namespace") + ":" + name)
                    .equals(user.name());
            default -> false;
          };
      if (match) {
        return true;
      }
    }
    return false;
  }

  private List<Object> roleRules(
      Map<String, @Nullable Object> binding, @Nullable String namespace) {
    String roleKind = String.valueOf(Doc.get(binding, "roleRef.kind"));
    String roleName = String.valueOf(Doc.get(binding, "roleRef.name"));
    Map<String, @Nullable Object> role =
        roleKind.equals("Role") && namespace != null
            ? store.get(kind("Role"), namespace, roleName)
            : store.get(kind("ClusterRole"), null, roleName);
    return role == null ? List.of() : Doc.list(role, "rules");
  }

  /** The built-in ClusterRoles a cluster has (their common rules) and the admin group binding. */
  public void seed() {
    List<String> read = List.of("get", "list", "watch");
    List<String> write =
        List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    List<Object> view =
        List.of(
            rule(
                read,
                "",
                "pods",
                "pods/log",
                "pods/status",
                "services",
                "services/status",
                "endpoints",
                "persistentvolumeclaims",
                "persistentvolumeclaims/status",
                "configmaps",
                "serviceaccounts",
                "replicationcontrollers",
                "replicationcontrollers/scale",
                "events",
                "limitranges",
                "resourcequotas",
                "namespaces",
                "namespaces/status"),
            rule(
                read,
                "apps",
                "deployments",
                "deployments/scale",
                "deployments/status",
                "replicasets",
                "replicasets/scale",
                "statefulsets",
                "statefulsets/scale",
                "daemonsets",
                "controllerrevisions"),
            rule(read, "batch", "jobs", "cronjobs"),
            rule(read, "networking.k8s.io", "ingresses", "networkpolicies"),
            rule(read, "discovery.k8s.io", "endpointslices"),
            rule(read, "autoscaling", "horizontalpodautoscalers"),
            rule(read, "policy", "poddisruptionbudgets"),
            rule(read, "events.k8s.io", "events"));
    List<Object> edit = new ArrayList<>(view);
    edit.add(
        rule(
            write,
            "",
            "pods",
            "pods/attach",
            "pods/exec",
            "pods/portforward",
            "pods/proxy",
            "pods/eviction",
            "services",
            "services/proxy",
            "endpoints",
            "persistentvolumeclaims",
            "configmaps",
            "secrets",
            "serviceaccounts",
            "serviceaccounts/token",
            "replicationcontrollers",
            "replicationcontrollers/scale"));
    edit.add(
        rule(
            write,
            "apps",
            "deployments",
            "deployments/scale",
            "deployments/rollback",
            "replicasets",
            "replicasets/scale",
            "statefulsets",
            "statefulsets/scale",
            "daemonsets"));
    edit.add(rule(write, "batch", "jobs", "cronjobs"));
    edit.add(rule(write, "networking.k8s.io", "ingresses", "networkpolicies"));
    edit.add(rule(write, "autoscaling", "horizontalpodautoscalers"));
    edit.add(rule(write, "policy", "poddisruptionbudgets"));
    List<Object> admin = new ArrayList<>(edit);
    admin.add(rule(write, "rbac.authorization.k8s.io", "roles", "rolebindings"));
    admin.add(rule(List.of("create"), "authorization.k8s.io", "localsubjectaccessreviews"));
    clusterRole("view", view);
    clusterRole("edit", edit);
    clusterRole("admin", admin);
    clusterRole(
        "cluster-admin",
        List.of(
            Doc.obj("verbs", List.of("*"), "apiGroups", List.of("*"), "resources", List.of("*")),
            Doc.obj("verbs", List.of("*"), "nonResourceURLs", List.of("*"))));
    store.create(
        kind("ClusterRoleBinding"),
        Doc.obj(
            "apiVersion",
            "rbac.authorization.k8s.io/v1",
            "kind",
            "ClusterRoleBinding",
            "metadata",
            Doc.obj("name", "cluster-admin", "labels", bootstrap()),
            "roleRef",
            Doc.obj(
                "apiGroup",
                "rbac.authorization.k8s.io",
                "kind",
                "ClusterRole",
                "name",
                "cluster-admin"),
            "subjects",
            List.of(
                Doc.obj(
                    "apiGroup",
                    "rbac.authorization.k8s.io",
                    "kind",
                    "Group",
                    "name",
                    "system:masters"))));
  }

  /** Binds the {@code edit} ClusterRole to {@code user} in {@code namespace}. */
  public void bindEdit(String user, String namespace) {
    store.create(
        kind("RoleBinding"),
        Doc.obj(
            "apiVersion",
            "rbac.authorization.k8s.io/v1",
            "kind",
            "RoleBinding",
            "metadata",
            Doc.obj("name", user + "-edit", "namespace", namespace),
            "roleRef",
            Doc.obj("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole", "name", "edit"),
            "subjects",
            List.of(
                Doc.obj("apiGroup", "rbac.authorization.k8s.io", "kind", "User", "name", user))));
  }

  private static Map<String, @Nullable Object> bootstrap() {
    return Doc.obj("kubernetes.io/bootstrapping", "rbac-defaults");
  }

  private void clusterRole(String name, List<Object> rules) {
    store.create(
        kind("ClusterRole"),
        Doc.obj(
            "apiVersion",
            "rbac.authorization.k8s.io/v1",
            "kind",
            "ClusterRole",
            "metadata",
            Doc.obj("name", name, "labels", bootstrap()),
            "rules",
            rules));
  }

  private static Map<String, @Nullable Object> rule(
      List<String> verbs, String group, String... resources) {
    return Doc.obj("verbs", verbs, "apiGroups", List.of(group), "resources", List.of(resources));
  }

  /** The status of a SelfSubjectRulesReview for {@code user} in {@code namespace}. */
  public Map<String, @Nullable Object> rulesReview(User user, @Nullable String namespace) {
    List<Object> resourceRules = new ArrayList<>();
    resourceRules.add(
        Doc.obj(
            "verbs",
            List.of("create"),
            "apiGroups",
            List.of("authorization.k8s.io"),
            "resources",
            List.of("selfsubjectaccessreviews", "selfsubjectrulesreviews")));
    resourceRules.add(
        Doc.obj(
            "verbs",
            List.of("create"),
            "apiGroups",
            List.of("authentication.k8s.io"),
            "resources",
            List.of("selfsubjectreviews")));
    List<Object> nonResourceRules = new ArrayList<>();
    nonResourceRules.add(
        Doc.obj(
            "verbs",
            List.of("get"),
            "nonResourceURLs",
            List.of(
                "/api",
                "/api/*",
                "/apis",
                "/apis/*",
                "/healthz",
                "/livez",
                "/openapi",
                "/openapi/*",
                "/readyz",
                "/version",
                "/version/")));
    for (Object rule : rules(user, namespace)) {
      if (Doc.get(rule, "nonResourceURLs") != null) {
        nonResourceRules.add(rule);
      } else {
        resourceRules.add(rule);
      }
    }
    return Doc.obj(
        "resourceRules", resourceRules, "nonResourceRules", nonResourceRules, "incomplete", false);
  }
}
