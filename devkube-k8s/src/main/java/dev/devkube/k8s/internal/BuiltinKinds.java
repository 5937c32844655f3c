package dev.devkube.k8s.internal;

import dev.devkube.DevkubeException;
import dev.devkube.k8s.ResourceType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The built-in kinds of Kubernetes, read from {@code builtin-kinds.tsv}, a table generated from the
 * API server's discovery documents, so that they resolve without asking the server.
 */
public final class BuiltinKinds {
  private static final String TABLE = "builtin-kinds.tsv";

  private final Map<String, ResourceType> byKey;

  private BuiltinKinds(Map<String, ResourceType> byKey) {
    this.byKey = byKey;
  }

  /** Reads the table shipped in this jar. */
  public static BuiltinKinds load() {
    Map<String, ResourceType> byKey = new HashMap<>();
    try (InputStream in = BuiltinKinds.class.getResourceAsStream(TABLE)) {
      if (in == null) {
        throw new IllegalStateException(TABLE + " is missing from the devkube-k8s jar");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        ResourceType type =
            new ResourceType(
                f[0], f[1], f[2], f[3], Boolean.parseBoolean(f[4]), list(f[5]), list(f[6]));
        byKey.put(key(type.group(), type.version(), type.kind()), type);
      }
    } catch (IOException e) {
      throw new DevkubeException(
          "could not read devkube-k8s's table of built-in kinds, " + TABLE + ": " + e, e);
    }
    return new BuiltinKinds(byKey);
  }

  /** The built-in kind, or null when {@code group/version kind} is not one. */
  public @Nullable ResourceType find(String group, String version, String kind) {
    return byKey.get(key(group, version, kind));
  }

  /** The kinds the table lists for a group-version, sorted. */
  public List<String> kindsOf(String group, String version) {
    TreeSet<String> kinds = new TreeSet<>();
    byKey.values().stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .forEach(t -> kinds.add(t.kind()));
    return new ArrayList<>(kinds);
  }

  /** How many kinds the table holds. */
  public int size() {
    return byKey.size();
  }

  private static String key(String group, String version, String kind) {
    return group + "/" + version + "/" + kind;
  }

  private static List<String> list(String field) {
    return field.equals("-") ? List.of() : Arrays.asList(field.split(","));
  }
}
