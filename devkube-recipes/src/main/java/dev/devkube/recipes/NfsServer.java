package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.map;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An NFS server on a cloud volume: a PersistentVolumeClaim, the server Deployment (Recreate,
 * because the volume attaches to one node at a time; privileged, which the kernel NFS server needs;
 * a readiness probe on the NFS port) and a ClusterIP Service (nfs 2049, mountd 20048, rpcbind
 * 111). Immutable: each method returns a changed copy.
 *
 * <pre>{@code
 * NfsServer nfs = NfsServer.create().size("10Gi").storageClass("do-block-storage");
 * }</pre>
 */
public final class NfsServer {
  static final String PVC = "nfs-pvc";
  static final String DEPLOYMENT = "nfs";
  static final String SERVICE = "nfs-service";
  static final String ROLE = "nfs-server";
  private static final Pattern QUANTITY = Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");

  private final String size;
  private final @Nullable String storageClass;

  private NfsServer(String size, @Nullable String storageClass) {
    this.size = size;
    this.storageClass = storageClass;
  }

  /** 1Gi on {@code do-block-storage}. */
  public static NfsServer create() {
    return new NfsServer("1Gi", "do-block-storage");
  }

  /** The volume's size, a Kubernetes quantity such as {@code 10Gi}. */
  public NfsServer size(String size) {
    if (size == null || !QUANTITY.matcher(size).matches()) {
      throw new IllegalArgumentException("NFS volume size \"" + size + "\" is not a quantity: use"
          + " a number with a unit, such as 1Gi or 500Mi");
    }
    return new NfsServer(size, storageClass);
  }

  /** The storage class of the volume; null for the cluster's default class. */
  public NfsServer storageClass(@Nullable String storageClass) {
    return new NfsServer(size, storageClass);
  }

  public String size() {
    return size;
  }

  public @Nullable String storageClass() {
    return storageClass;
  }

  /** The claim, the server and its Service, in the order they are applied. No I/O. */
  public List<KubeObject> objects(Context context) {
    Map<String, Object> claimSpec = map("accessModes", List.of("ReadWriteOnce"),
        "resources", map("requests", map("storage", size)));
    if (storageClass != null) {
      claimSpec.put("storageClassName", storageClass);
    }
    KubeObject claim = KubeObject.of("v1", "PersistentVolumeClaim", PVC).namespace(context.namespace())
        .set("metadata.labels", context.labels("nfs")).set("spec", claimSpec);
    Map<String, Object> server = container("nfs", context.profile().nfsImage(),
        list(port("nfs", 2049, "containerPort"), port("mountd", 20048, "containerPort"),
            port("rpcbind", 111, "containerPort")),
        list(mount("nfs-volume", context.profile().nfsExportPath(), false)), Manifests.tcpProbe(2049));
    server.put("securityContext", map("privileged", true));
    KubeObject deployment = Manifests.deployment(context, DEPLOYMENT, "nfs", ROLE, true, list(server),
        list(map("name", "nfs-volume", "persistentVolumeClaim", map("claimName", PVC))));
    KubeObject service = KubeObject.of("v1", "Service", SERVICE).namespace(context.namespace())
        .set("metadata.labels", context.labels("nfs"))
        .set("spec", map("type", "ClusterIP", "selector", context.selector(ROLE),
            "ports", list(port("nfs", 2049, "port"), port("mountd", 20048, "port"),
                port("rpcbind", 111, "port"))));
    return List.of(claim, deployment, service);
  }

  @Override
  public String toString() {
    return "NfsServer[" + size + " on " + (storageClass == null ? "the default class" : storageClass) + "]";
  }
}
