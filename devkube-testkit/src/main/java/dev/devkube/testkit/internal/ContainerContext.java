package dev.devkube.testkit.internal;

import dev.devkube.testkit.FakeContainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A container of a pod in the fake: identity, environment, user and files. */
final class ContainerContext implements FakeContainer {
  private final String namespace;
  private final String pod;
  private final String name;
  private final String image;
  private final Map<String, String> env;
  private final long uid;
  final Mounts files;

  ContainerContext(
      Store store,
      Kinds kinds,
      Volumes volumes,
      Map<String, @Nullable Object> pod,
      Map<String, @Nullable Object> container)
      throws IOException {
    this.namespace = Objects.requireNonNullElse(Doc.string(pod, "metadata.namespace"), "default");
    this.pod = Objects.requireNonNullElse(Doc.string(pod, "metadata.name"), "");
    this.name = Objects.requireNonNullElse(Doc.string(container, "name"), "");
    this.image = Objects.requireNonNullElse(Doc.string(container, "image"), "");
    Object user = Doc.get(container, "securityContext.runAsUser");
    if (user == null) {
      user = Doc.get(pod, "spec.securityContext.runAsUser");
    }
    this.uid = user instanceof Number n ? n.longValue() : 0;
    this.files = volumes.mounts(pod, container);
    this.env = environment(store, kinds, namespace, this.pod, container);
  }

  private static Map<String, String> environment(
      Store store,
      Kinds kinds,
      String namespace,
      String podName,
      Map<String, @Nullable Object> container) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", podName);
    env.put("HOME", "/root");
    for (Object from : Doc.list(container, "envFrom")) {
      String prefix = Objects.requireNonNullElse(Doc.string(from, "prefix"), "");
      String configMap = Doc.string(from, "configMapRef.name");
      String secret = Doc.string(from, "secretRef.name");
      if (configMap != null) {
        data(store, kinds, namespace, "ConfigMap", configMap)
            .forEach((k, v) -> env.put(prefix + k, v));
      }
      if (secret != null) {
        data(store, kinds, namespace, "Secret", secret).forEach((k, v) -> env.put(prefix + k, v));
      }
    }
    for (Object e : Doc.list(container, "env")) {
      String key = Doc.string(e, "name");
      if (key == null) {
        continue;
      }
      String value = Doc.string(e, "value");
      String secret = Doc.string(e, "valueFrom.secretKeyRef.name");
      String configMap = Doc.string(e, "valueFrom.configMapKeyRef.name");
      if (secret != null) {
        value =
            data(store, kinds, namespace, "Secret", secret)
                .get(Doc.string(e, "valueFrom.secretKeyRef.key"));
      } else if (configMap != null) {
        value =
            data(store, kinds, namespace, "ConfigMap", configMap)
                .get(Doc.string(e, "valueFrom.configMapKeyRef.key"));
      }
      env.put(key, Objects.requireNonNullElse(value, ""));
    }
    return env;
  }

  private static Map<String, String> data(
      Store store, Kinds kinds, String namespace, String kind, String name) {
    Map<String, @Nullable Object> object =
        store.get(Objects.requireNonNull(kinds.byKind("v1", kind)), namespace, name);
    Map<String, String> data = new LinkedHashMap<>();
    if (object == null) {
      return data;
    }
    Doc.strings(object, "data")
        .forEach(
            (k, v) ->
                data.put(
                    k,
                    kind.equals("Secret")
                        ? new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)
                        : v));
    return data;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  @Override
  public String pod() {
    return pod;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String image() {
    return image;
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public long uid() {
    return uid;
  }

  @Override
  public byte[] readFile(String path) throws IOException {
    return files.read(path);
  }

  @Override
  public void writeFile(String path, byte[] content) throws IOException {
    files.write(path, content, false);
  }

  @Override
  public boolean exists(String path) throws IOException {
    try {
      return files.stat(path) != null;
    } catch (java.nio.file.NotDirectoryException e) {
      return false; // a path through a regular file, as stat(2) says ENOTDIR
    }
  }

  @Override
  public String toString() {
    return namespace + "/" + pod + "/" + name;
  }
}
