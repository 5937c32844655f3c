package dev.devkube.k8s.internal;

import dev.devkube.NotFoundException;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.ResourceType;
import dev.devkube.k8s.UnknownKindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves apiVersion and kind to a {@link ResourceType}: built-in kinds from the generated table,
 * without a request; anything else (custom resources, aggregated APIs) from the server's discovery
 * documents, cached per group-version and read again once when a kind is missing. Never guesses.
 */
public final class Discovery {
  private final BuiltinKinds builtins;
  private final KubeHttp http;
  private final Map<String, List<ResourceType>> served = new ConcurrentHashMap<>();

  public Discovery(BuiltinKinds builtins, KubeHttp http) {
    this.builtins = builtins;
    this.http = http;
  }

  public ResourceType resolve(String apiVersion, String kind) {
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    if (group.isEmpty() && !version.equals("v1")) {
      throw new IllegalArgumentException(
          "apiVersion \""
              + apiVersion
              + "\" names no group: the core"
              + " group is \"v1\", others are \"group/version\" such as \"apps/v1\"");
    }
    ResourceType builtin = builtins.find(group, version, kind);
    if (builtin != null) {
      return builtin;
    }
    List<ResourceType> types = served.get(apiVersion);
    boolean fresh = false;
    if (types == null) {
      types = fetch(apiVersion, kind);
      fresh = true;
    }
    Optional<ResourceType> found = find(types, kind);
    if (found.isEmpty() && !fresh) {
      // A CRD may have been installed since the list was read: read it once more.
      types = fetch(apiVersion, kind);
      found = find(types, kind);
    }
    if (found.isEmpty()) {
      TreeSet<String> kinds = new TreeSet<>();
      types.forEach(t -> kinds.add(t.kind()));
      throw new UnknownKindException(
          "the API server serves no kind "
              + kind
              + " in "
              + apiVersion
              + ": it serves "
              + (kinds.isEmpty() ? "nothing there" : String.join(", ", kinds)),
          apiVersion,
          kind,
          null);
    }
    return found.get();
  }

  private static Optional<ResourceType> find(List<ResourceType> types, String kind) {
    return types.stream().filter(t -> t.kind().equals(kind)).findFirst();
  }

  private List<ResourceType> fetch(String apiVersion, String kind) {
    String path = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    KubeObject list;
    try {
      list = http.send("GET", http.url(path), null, null, "discover " + apiVersion);
    } catch (NotFoundException e) {
      throw new UnknownKindException(
          "the API server does not serve "
              + apiVersion
              + ", so it has no kind "
              + kind
              + " (GET "
              + path
              + " answered 404): check the apiVersion, or install its CRD",
          apiVersion,
          kind,
          e);
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    List<ResourceType> types = new ArrayList<>();
    List<Object> resources = list.getList("resources");
    for (Object item : resources) {
      KubeObject resource = KubeObject.from((Map<?, ?>) item);
      String name = resource.getString("name");
      if (name == null || name.contains("/")) {
        continue;
      }
      List<String> subresources = new ArrayList<>();
      for (Object other : resources) {
        String otherName = String.valueOf(((Map<?, ?>) other).get("name"));
        if (otherName.startsWith(name + "/")) {
          subresources.add(otherName.substring(name.length() + 1));
        }
      }
      List<String> verbs = new ArrayList<>();
      resource.getList("verbs").forEach(v -> verbs.add(String.valueOf(v)));
      types.add(
          new ResourceType(
              group,
              version,
              String.valueOf(resource.getString("kind")),
              name,
              "true".equals(resource.getString("namespaced")),
              verbs,
              subresources));
    }
    served.put(apiVersion, List.copyOf(types));
    return types;
  }
}
