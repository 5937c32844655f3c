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

/** The kinds the fake API server serves: the built-in table, plus any the test adds. */
public final class Kinds {
  /**
   * One resource.
   *
   * @param group the group, empty for core
   * @param version the version
   * @param kind the kind
   * @param plural the URL name
   * @param namespaced whether it lives in namespaces
   * @param verbs the verbs served
   * @param subresources the subresources served
   */
  public record Kind(
      String group,
      String version,
      String kind,
      String plural,
      boolean namespaced,
      List<String> verbs,
      List<String> subresources) {
    public String groupVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  private final Map<String, Kind> byPath = new LinkedHashMap<>();

  public static Kinds builtin() {
    Kinds kinds = new Kinds();
    try (InputStream in = Kinds.class.getResourceAsStream("builtin-kinds.tsv")) {
      if (in == null) {
        throw new IllegalStateException("builtin-kinds.tsv is missing from devkube-testkit");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        kinds.add(
            new Kind(f[0], f[1], f[2], f[3], Boolean.parseBoolean(f[4]), split(f[5]), split(f[6])));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kinds;
  }

  private static List<String> split(String field) {
    return field.equals("-") ? List.of() : Arrays.asList(field.split(","));
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
