package dev.devkube.testkit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The kinds the fake API server serves: every resource of the generally available group-versions of
 * Kubernetes v1.36, as their discovery documents list them ({@code discovery.tsv}).
 */
public final class Kinds {
  /**
   * One subresource.
   *
   * @param name its name ({@code status}, {@code scale})
   * @param kind the kind it reads and writes ({@code Scale} for {@code deployments/scale})
   * @param group the group of that kind when it is not the resource's ({@code autoscaling})
   * @param version the version of that kind when it is not the resource's
   * @param verbs the verbs served
   */
  public record Subresource(
      String name,
      String kind,
      @Nullable String group,
      @Nullable String version,
      List<String> verbs) {}

  /**
   * One resource.
   *
   * @param group the group, empty for core
   * @param version the version
   * @param kind the kind
   * @param plural the URL name
   * @param singular the singular name
   * @param namespaced whether it lives in namespaces
   * @param verbs the verbs served
   * @param shortNames the short names ({@code deploy}, {@code cm})
   * @param categories the categories ({@code all})
   * @param subresources the subresources served
   */
  public record Kind(
      String group,
      String version,
      String kind,
      String plural,
      String singular,
      boolean namespaced,
      List<String> verbs,
      List<String> shortNames,
      List<String> categories,
      List<Subresource> subresources) {
    /**
     * The resource as the API server names it in messages: {@code deployments.apps}, {@code pods}.
     */
    public String resource() {
      return group.isEmpty() ? plural : plural + "." + group;
    }

    public String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    /** The subresource called {@code name}, or null when the kind has none. */
    public @Nullable Subresource subresource(String name) {
      for (Subresource s : subresources) {
        if (s.name().equals(name)) {
          return s;
        }
      }
      return null;
    }
  }

  private final Map<String, Kind> byPath = new LinkedHashMap<>();

  public static Kinds builtin() {
    Map<String, Kind> kinds = new LinkedHashMap<>();
    Map<String, List<Subresource>> subresources = new LinkedHashMap<>();
    try (InputStream in = Kinds.class.getResourceAsStream("discovery.tsv")) {
      if (in == null) {
        throw new IllegalStateException("discovery.tsv is missing from devkube-testkit");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        String groupVersion = f[0];
        int slash = groupVersion.indexOf('/');
        String group = slash < 0 ? "" : groupVersion.substring(0, slash);
        String version = groupVersion.substring(slash + 1);
        int sub = f[1].indexOf('/');
        if (sub > 0) {
          subresources
              .computeIfAbsent(groupVersion + "/" + f[1].substring(0, sub), k -> new ArrayList<>())
              .add(
                  new Subresource(
                      f[1].substring(sub + 1), f[4], orNull(f[5]), orNull(f[6]), split(f[7])));
          continue;
        }
        kinds.put(
            groupVersion + "/" + f[1],
            new Kind(
                group,
                version,
                f[4],
                f[1],
                f[2],
                Boolean.parseBoolean(f[3]),
                split(f[7]),
                split(f[8]),
                split(f[9]),
                List.of()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Kinds result = new Kinds();
    kinds.forEach(
        (path, k) ->
            result.add(
                new Kind(
                    k.group(),
                    k.version(),
                    k.kind(),
                    k.plural(),
                    k.singular(),
                    k.namespaced(),
                    k.verbs(),
                    k.shortNames(),
                    k.categories(),
                    List.copyOf(subresources.getOrDefault(path, List.of())))));
    return result;
  }

  private static @Nullable String orNull(String field) {
    return field.equals("-") ? null : field;
  }

  private static List<String> split(String field) {
    return field.equals("-") ? List.of() : Arrays.asList(field.split(",", -1));
  }

  /**
   * Adds what Cilium's CRDs serve, as on a cluster whose CNI is Cilium (DigitalOcean's is): {@code
   * cilium.io/v2} CiliumNetworkPolicy (namespaced, {@code cnp}) and CiliumClusterwideNetworkPolicy
   * ({@code ccnp}), each with a status subresource.
   */
  public void addCilium() {
    List<String> verbs =
        List.of("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch");
    List<Subresource> status =
        List.of(new Subresource("status", "", null, null, List.of("get", "patch", "update")));
    add(
        new Kind(
            "cilium.io",
            "v2",
            "CiliumNetworkPolicy",
            "ciliumnetworkpolicies",
            "ciliumnetworkpolicy",
            true,
            verbs,
            List.of("cnp", "ciliumnp"),
            List.of("cilium", "ciliumpolicy"),
            status));
    add(
        new Kind(
            "cilium.io",
            "v2",
            "CiliumClusterwideNetworkPolicy",
            "ciliumclusterwidenetworkpolicies",
            "ciliumclusterwidenetworkpolicy",
            false,
            verbs,
            List.of("ccnp"),
            List.of("cilium", "ciliumpolicy"),
            status));
  }

  public synchronized void add(Kind kind) {
    byPath.put(kind.groupVersion() + "/" + kind.plural(), kind);
  }

  /** The kind at {@code groupVersion/plural}, or null. */
  public synchronized @Nullable Kind byPlural(String groupVersion, String plural) {
    return byPath.get(groupVersion + "/" + plural);
  }

  /** The kind for {@code apiVersion} and {@code kind}, or null. */
  public synchronized @Nullable Kind byKind(String apiVersion, String kind) {
    for (Kind k : byPath.values()) {
      if (k.groupVersion().equals(apiVersion) && k.kind().equals(kind)) {
        return k;
      }
    }
    return null;
  }

  public synchronized List<Kind> inGroupVersion(String groupVersion) {
    List<Kind> result = new ArrayList<>();
    for (Kind k : byPath.values()) {
      if (k.groupVersion().equals(groupVersion)) {
        result.add(k);
      }
    }
    return result;
  }

  /** Every kind, in table order. */
  public synchronized List<Kind> all() {
    return List.copyOf(byPath.values());
  }

  /** Group name to its versions, in table order; the core group is left out. */
  public synchronized Map<String, List<String>> groups() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    for (Kind k : byPath.values()) {
      if (!k.group().isEmpty()) {
        List<String> versions = groups.computeIfAbsent(k.group(), g -> new ArrayList<>());
        if (!versions.contains(k.version())) {
          versions.add(k.version());
        }
      }
    }
    return groups;
  }
}
