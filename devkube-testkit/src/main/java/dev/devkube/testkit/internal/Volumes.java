package dev.devkube.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The files of every volume the fake knows, and each container's view of them ({@link Mounts}).
 *
 * <p>A volume's files are kept by what identifies the storage, not by the pod or the cluster: a
 * bound claim by its PersistentVolume's CSI volume handle (or the PersistentVolume's name), an NFS
 * mount by the export it reaches (the volume that the NFS server pod behind the address exports),
 * an external NFS address by server and path. So a file written through one pod is there in every
 * other pod that mounts the same storage. An emptyDir lives with its pod, a container's own root
 * with the container; ConfigMap and Secret volumes show the object's keys, read-only.
 */
public final class Volumes {
  private final Store store;
  private final Kinds kinds;
  private final Map<String, FakeFs> volumes = new ConcurrentHashMap<>();
  private final dev.devkube.testkit.CloudDisks cloud;
  private final Network network;

  public Volumes(Store store, Kinds kinds, dev.devkube.testkit.CloudDisks cloud) {
    this.store = store;
    this.kinds = kinds;
    this.cloud = cloud;
    this.network = new Network(store, kinds);
  }

  Network network() {
    return network;
  }

  /** The files kept under a key, made empty on first use. */
  public FakeFs volume(String key) {
    // Cloud volumes and outside shares outlive the cluster: their files are the account's.
    return dev.devkube.testkit.CloudDisks.isCloud(key)
        ? cloud.disk(key)
        : volumes.computeIfAbsent(key, k -> new FakeFs());
  }

  /** The keys of the volumes that hold files, for tests and the demo. */
  public List<String> keys() {
    List<String> keys = new ArrayList<>(volumes.keySet());
    keys.addAll(cloud.keys());
    return keys;
  }

  private Kinds.Kind kind(String apiVersion, String kind) {
    return Objects.requireNonNull(kinds.byKind(apiVersion, kind), kind);
  }

  /** The view of {@code container} in {@code pod}. */
  public Mounts mounts(Map<String, @Nullable Object> pod, Map<String, @Nullable Object> container)
      throws IOException {
    String namespace = Objects.requireNonNullElse(Doc.string(pod, "metadata.namespace"), "default");
    String uid = Objects.requireNonNullElse(Doc.string(pod, "metadata.uid"), "");
    String containerName = Objects.requireNonNullElse(Doc.string(container, "name"), "");
    String image = Objects.requireNonNullElse(Doc.string(container, "image"), "");
    FakeFs root =
        volumes.computeIfAbsent("rootfs:" + uid + "/" + containerName, key -> imageFiles(image));
    List<Mounts.Mount> mounts = new ArrayList<>();
    for (Object m : Doc.list(container, "volumeMounts")) {
      String name = Doc.string(m, "name");
      String path = Doc.string(m, "mountPath");
      if (name == null || path == null) {
        continue;
      }
      Map<String, @Nullable Object> volume = null;
      for (Object v : Doc.list(pod, "spec.volumes")) {
        if (name.equals(Doc.string(v, "name"))) {
          volume = Doc.copyObject(v);
        }
      }
      if (volume == null) {
        continue;
      }
      String subPath = Objects.requireNonNullElse(Doc.string(m, "subPath"), "");
      boolean readOnly = Boolean.TRUE.equals(Doc.get(m, "readOnly"));
      Mounts.Mount source = source(namespace, uid, volume);
      mounts.add(
          new Mounts.Mount(
              path, source.fs(), source.subPath() + "/" + subPath, readOnly || source.readOnly()));
    }
    return new Mounts(root, mounts);
  }

  /**
   * A container's own files when it starts: the usual folders, and what the recipe images bring
   * that a user meets (nginx's default page in its document root).
   */
  private static FakeFs imageFiles(String image) {
    FakeFs root = new FakeFs();
    try {
      for (String folder : List.of("/tmp", "/etc", "/root", "/home", "/var/tmp")) {
        root.mkdir(folder, true, 0755);
      }
      if (image.contains("nginx")) {
        root.mkdir("/usr/share/nginx/html", true, 0755);
        root.write(
            "/usr/share/nginx/html/index.html",
            "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n</head>\n</html>\n"
                .getBytes(StandardCharsets.UTF_8),
            false,
            0644);
        root.write(
            "/usr/share/nginx/html/50x.html",
            "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n</html>\n"
                .getBytes(StandardCharsets.UTF_8),
            false,
            0644);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return root;
  }

  /** What a pod volume shows: the files, the folder of them it shows, and whether read-only. */
  private Mounts.Mount source(String namespace, String uid, Map<String, @Nullable Object> volume)
      throws IOException {
    String name = Objects.requireNonNullElse(Doc.string(volume, "name"), "");
    String claim = Doc.string(volume, "persistentVolumeClaim.claimName");
    if (claim != null) {
      return new Mounts.Mount("/", volume(claimKey(namespace, claim)), "/", false);
    }
    String server = Doc.string(volume, "nfs.server");
    if (server != null) {
      String path = Objects.requireNonNullElse(Doc.string(volume, "nfs.path"), "/");
      Mounts.Mount export = export(server);
      if (export != null) {
        return new Mounts.Mount("/", export.fs(), export.subPath() + "/" + path, false);
      }
      return new Mounts.Mount("/", volume("nfs:" + server + ":" + path), "/", false);
    }
    String configMap = Doc.string(volume, "configMap.name");
    String secret = Doc.string(volume, "secret.secretName");
    if (configMap != null || secret != null) {
      FakeFs files = new FakeFs(false);
      Map<String, @Nullable Object> object =
          configMap != null
              ? store.get(kind("v1", "ConfigMap"), namespace, configMap)
              : store.get(kind("v1", "Secret"), namespace, Objects.requireNonNull(secret));
      if (object != null) {
        String source = configMap != null ? "configMap" : "secret";
        // The kubelet's defaults: mode 0644 unless defaultMode; every key unless items names some
        // (then only those, each at its path, with its own mode when given).
        Object defaultMode = Doc.get(volume, source + ".defaultMode");
        int mode = defaultMode instanceof Number n ? n.intValue() : 0644;
        Map<String, String> data = Doc.strings(object, "data");
        List<Object> items = Doc.list(volume, source + ".items");
        if (items.isEmpty()) {
          for (Map.Entry<String, String> e : data.entrySet()) {
            files.write("/" + e.getKey(), content(data, e.getKey(), secret != null), false, mode);
          }
        } else {
          for (Object item : items) {
            String key = String.valueOf(Doc.get(item, "key"));
            if (data.containsKey(key)) {
              Object itemMode = Doc.get(item, "mode");
              String path = "/" + Doc.get(item, "path");
              if (path.lastIndexOf('/') > 0) {
                files.mkdir(path.substring(0, path.lastIndexOf('/')), true, 0755);
              }
              files.write(
                  path,
                  content(data, key, secret != null),
                  false,
                  itemMode instanceof Number n ? n.intValue() : mode);
            }
          }
        }
      }
      return new Mounts.Mount("/", files, "/", true);
    }
    String hostPath = Doc.string(volume, "hostPath.path");
    if (hostPath != null) {
      return new Mounts.Mount("/", volume("host:" + hostPath), "/", false);
    }
    return new Mounts.Mount("/", volume("emptydir:" + uid + "/" + name), "/", false);
  }

  private static byte[] content(Map<String, String> data, String key, boolean secret) {
    String value = Objects.requireNonNull(data.get(key));
    return secret ? Base64.getDecoder().decode(value) : value.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Why this cluster ({@code clusterId} in network {@code vpc} of the cloud) cannot mount a pod's
   * cloud storage (a volume the account lacks or another cluster holds, a share the network does
   * not reach), as the kubelet's event says it; null when it can.
   */
  public @Nullable String mountRefusal(
      Map<String, @Nullable Object> pod, @Nullable String clusterId, @Nullable String vpc) {
    String namespace = String.valueOf(Doc.string(pod, "metadata.namespace"));
    for (Object volume : Doc.list(pod, "spec.volumes")) {
      String claim = Doc.string(volume, "persistentVolumeClaim.claimName");
      String server = Doc.string(volume, "nfs.server");
      String key =
          claim != null
              ? claimKey(namespace, claim)
              : server != null
                  ? "nfs:"
                      + server
                      + ":"
                      + Objects.requireNonNullElse(Doc.string(volume, "nfs.path"), "/")
                  : null;
      String refusal = key == null ? null : cloud.refusal(key, clusterId, vpc);
      if (refusal != null) {
        return refusal;
      }
    }
    return null;
  }

  /**
   * The key of a claim's files: its volume's CSI handle when it has one (the cloud volume, which
   * can outlive the cluster), else its PersistentVolume's name, else the claim itself.
   */
  private String claimKey(String namespace, String claim) {
    Map<String, @Nullable Object> pvc =
        store.get(kind("v1", "PersistentVolumeClaim"), namespace, claim);
    String pvName = pvc == null ? null : Doc.string(pvc, "spec.volumeName");
    if (pvName != null) {
      Map<String, @Nullable Object> pv = store.get(kind("v1", "PersistentVolume"), null, pvName);
      String handle = pv == null ? null : Doc.string(pv, "spec.csi.volumeHandle");
      return handle != null ? "volume:" + handle : "pv:" + pvName;
    }
    return "pvc:" + namespace + "/" + claim;
  }

  /**
   * What an NFS address reaches: the Service (by cluster IP or DNS name) or pod (by IP) behind it,
   * a running pod it selects, and the claim or emptyDir that pod's first container mounts: the
   * folder it exports. Null for an address no object answers to (an NFS server outside the
   * cluster).
   */
  private Mounts.@Nullable Mount export(String server) throws IOException {
    Map<String, @Nullable Object> pod = network.pod(server);
    if (pod == null) {
      return null;
    }
    String namespace = Objects.requireNonNullElse(Doc.string(pod, "metadata.namespace"), "");
    String uid = Objects.requireNonNullElse(Doc.string(pod, "metadata.uid"), "");
    List<Object> containers = Doc.list(pod, "spec.containers");
    if (containers.isEmpty()) {
      return null;
    }
    for (Object m : Doc.list(containers.get(0), "volumeMounts")) {
      for (Object v : Doc.list(pod, "spec.volumes")) {
        Map<String, @Nullable Object> volume = Doc.copyObject(v);
        if (Objects.equals(Doc.string(m, "name"), Doc.string(volume, "name"))
            && (volume.containsKey("persistentVolumeClaim") || volume.containsKey("emptyDir"))) {
          Mounts.Mount source = source(namespace, uid, volume);
          String subPath = Objects.requireNonNullElse(Doc.string(m, "subPath"), "");
          return new Mounts.Mount("/", source.fs(), source.subPath() + "/" + subPath, false);
        }
      }
    }
    return null;
  }
}
