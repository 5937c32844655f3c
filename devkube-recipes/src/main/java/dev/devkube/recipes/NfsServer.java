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
 * because the volume attaches to one node at a time; privileged, which the kernel NFS server needs
 * to mount {@code nfsd} and start it; a readiness probe on the NFS port) and a ClusterIP Service
 * (nfs 2049, mountd 20048, rpcbind 111). Immutable: each method returns a changed copy.
 *
 * <p>The default image is Kubernetes' own NFS test server. Its entrypoint copies a placeholder
 * {@code index.html}, owned by root, into the export on every start (over the user's page), so the
 * recipe starts the same nfs-utils daemons with its own command that leaves the export's contents
 * alone, and exports with {@code root_squash} (docs/images.md). The kernel server needs the node's
 * {@code nfsd} module.
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
  static final String POLICY = "nfs-access";
  static final String OWNER_IMAGE = "busybox:1.37.0";
  private static final Pattern QUANTITY =
      Pattern.compile("[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");

  private final String size;
  private final @Nullable String storageClass;
  private final boolean restrictAccess;
  private final @Nullable CsiVolume existing;

  private NfsServer(
      String size,
      @Nullable String storageClass,
      boolean restrictAccess,
      @Nullable CsiVolume existing) {
    this.size = size;
    this.storageClass = storageClass;
    this.restrictAccess = restrictAccess;
    this.existing = existing;
  }

  /** 1Gi on {@code do-block-storage}, reachable only by the environment's pods and the nodes. */
  public static NfsServer create() {
    return new NfsServer("1Gi", "do-block-storage", true, null);
  }

  /**
   * The server on a volume that already exists, with its files (kept from an earlier cluster, for
   * example): a PersistentVolume for it (reclaim policy Retain, so that nothing deletes it) and the
   * claim bound to it by name. Its size is the volume's; the storage class only names the pair.
   * Creating the PersistentVolume needs the right to create {@code persistentvolumes}, which are
   * cluster-wide.
   *
   * <pre>{@code
   * NfsServer.onVolume(CsiVolume.digitalOceanBlockStorage("506f78a4-...", "10Gi"))
   * }</pre>
   */
  public static NfsServer onVolume(CsiVolume volume) {
    java.util.Objects.requireNonNull(volume, "volume");
    return new NfsServer(volume.size(), "do-block-storage", true, volume);
  }

  /** The existing volume it serves, or null for a new one. */
  public @Nullable CsiVolume existingVolume() {
    return existing;
  }

  /**
   * Whether a network policy keeps everything but the environment's pods and the nodes' kubelets
   * away from the export, which has no authentication of its own (default true): a Cilium policy
   * when the cluster serves Cilium's CRDs, else a Kubernetes NetworkPolicy. False applies neither
   * (and removes none made before).
   */
  public NfsServer restrictAccess(boolean restrictAccess) {
    return new NfsServer(size, storageClass, restrictAccess, existing);
  }

  /** Whether a network policy limits who reaches the NFS server. */
  public boolean restrictsAccess() {
    return restrictAccess;
  }

  /** The volume's size, a Kubernetes quantity such as {@code 10Gi}. */
  public NfsServer size(String size) {
    if (size == null || !QUANTITY.matcher(size).matches()) {
      throw new IllegalArgumentException(
          "NFS volume size \""
              + size
              + "\" is not a quantity: use"
              + " a number with a unit, such as 1Gi or 500Mi");
    }
    if (size.replaceAll("[^0-9]", "").chars().allMatch(c -> c == '0')) {
      throw new IllegalArgumentException(
          "NFS volume size \"" + size + "\" is empty: use a size above zero, such as 1Gi");
    }
    return new NfsServer(size, storageClass, restrictAccess, existing);
  }

  /** The storage class of the volume; null for the cluster's default class. */
  public NfsServer storageClass(@Nullable String storageClass) {
    return new NfsServer(size, storageClass, restrictAccess, existing);
  }

  /** The size of the share's volume, e.g. {@code 1Gi}. */
  public String size() {
    return size;
  }

  /** The storage class of the share's volume; null for the cluster's default. */
  public @Nullable String storageClass() {
    return storageClass;
  }

  /**
   * The NFS server's objects.
   *
   * @param volume the PersistentVolume for an {@link #onVolume existing volume}; null when the
   *     claim gets a new one from its storage class
   * @param claim the PersistentVolumeClaim {@code nfs-pvc} that holds the share's files
   * @param deployment the server, Deployment {@code nfs}
   * @param service its ClusterIP Service {@code nfs-service}, whose address dependents mount
   */
  public record Objects(
      @Nullable KubeObject volume, KubeObject claim, KubeObject deployment, KubeObject service) {
    /** In the order they are applied. */
    public List<KubeObject> all() {
      return volume == null
          ? List.of(claim, deployment, service)
          : List.of(volume, claim, deployment, service);
    }
  }

  /** The claim, the server and its Service. No I/O. */
  public Objects objects(RecipeContext context) {
    Map<String, Object> claimSpec =
        map(
            "accessModes",
            List.of("ReadWriteOnce"),
            "resources",
            map("requests", map("storage", size)));
    if (storageClass != null) {
      claimSpec.put("storageClassName", storageClass);
    }
    KubeObject volume = null;
    if (existing != null) {
      String name = volumeName(context);
      claimSpec.put("volumeName", name);
      volume =
          KubeObject.of("v1", "PersistentVolume", name)
              .set("metadata.labels", context.labels("nfs"))
              .set(
                  "spec",
                  map(
                      "capacity",
                      map("storage", existing.size()),
                      "accessModes",
                      List.of("ReadWriteOnce"),
                      "persistentVolumeReclaimPolicy",
                      "Retain",
                      "storageClassName",
                      storageClass == null ? "" : storageClass,
                      "csi",
                      map(
                          "driver",
                          existing.driver(),
                          "volumeHandle",
                          existing.volumeHandle(),
                          "fsType",
                          existing.fsType(),
                          "volumeAttributes",
                          new java.util.LinkedHashMap<String, Object>(existing.attributes()))));
      if (storageClass == null) {
        claimSpec.put("storageClassName", "");
      }
    }
    KubeObject claim =
        KubeObject.of("v1", "PersistentVolumeClaim", PVC)
            .namespace(context.namespace())
            .set("metadata.labels", context.labels("nfs"))
            .set("spec", claimSpec);
    Map<String, Object> server =
        container(
            "nfs",
            context.profile().nfsImage(),
            list(
                port("nfs", 2049, "containerPort"),
                port("mountd", 20048, "containerPort"),
                port("rpcbind", 111, "containerPort")),
            list(mount("nfs-volume", context.profile().nfsExportPath(), false)),
            Manifests.tcpProbe(2049));
    server.put("securityContext", map("privileged", true));
    if (!context.profile().isClassic()) {
      server.put(
          "command", list("/bin/bash", "-c", startScript(context.profile().nfsExportPath())));
    }
    // The export's root belongs to the uid the IDE, sshd and toolbox write as (B26); root may only
    // change owner and mode here.
    String export = context.profile().nfsExportPath();
    Map<String, Object> owner =
        Manifests.initContainer(
            "share-owner",
            OWNER_IMAGE,
            mount("nfs-volume", export, false),
            "chown "
                + IdeServer.SHARE_UID
                + ":"
                + IdeServer.SHARE_UID
                + " "
                + export
                + " && chmod 2775 "
                + export,
            map(
                "runAsUser",
                0,
                "allowPrivilegeEscalation",
                false,
                "capabilities",
                // FSETID: without it chmod drops the setgid bit, the group being one root is not
                // in.
                map("drop", list("ALL"), "add", list("CHOWN", "FOWNER", "FSETID"))));
    KubeObject deployment =
        Manifests.deployment(
                context,
                DEPLOYMENT,
                "nfs",
                ROLE,
                true,
                list(server),
                list(map("name", "nfs-volume", "persistentVolumeClaim", map("claimName", PVC))))
            .set("spec.template.spec.initContainers", list(owner));
    KubeObject service =
        KubeObject.of("v1", "Service", SERVICE)
            .namespace(context.namespace())
            .set("metadata.labels", context.labels("nfs"))
            .set(
                "spec",
                map(
                    "type",
                    "ClusterIP",
                    "selector",
                    context.selector(ROLE),
                    "ports",
                    list(
                        port("nfs", 2049, "port"),
                        port("mountd", 20048, "port"),
                        port("rpcbind", 111, "port"))));
    return new Objects(volume, claim, deployment, service);
  }

  /**
   * The PersistentVolume's name for an existing volume: cluster-wide, so the namespace and the
   * environment are in it.
   */
  static String volumeName(RecipeContext context) {
    return "devkube-" + context.namespace() + "-" + context.environment() + "-share";
  }

  /**
   * The server's start: export {@code path} (read-write, NFSv4 root, root squashed, any source
   * port, as Service NAT changes them), start rpcbind, mount the nfsd filesystem, start mountd,
   * export, start nfsd (v3 and v4, 10 s grace) and statd; on TERM stop serving and unexport.
   * Nothing is written to the export.
   */
  static String startScript(String path) {
    return String.join(
        "\n",
        "set -eu",
        "echo '" + path + " *(rw,fsid=0,insecure,root_squash,no_subtree_check)' > /etc/exports",
        "rpcinfo 127.0.0.1 > /dev/null 2>&1 || rpcbind -w",
        "mountpoint -q /proc/fs/nfsd || mount -t nfsd nfsd /proc/fs/nfsd",
        "rpc.mountd -N 2 -V 3 -p 20048",
        "exportfs -r",
        "rpc.nfsd -G 10 -N 2 -V 3",
        "rpc.statd --no-notify",
        "echo \"serving " + path + "\"",
        "trap 'rpc.nfsd 0; exportfs -au; exportfs -f; exit 0' TERM",
        "while true; do sleep 5 & wait $!; done");
  }

  /**
   * The NetworkPolicy that lets only the environment's own pods, and the nodes at {@code
   * nodeAddresses} (their kubelets mount the share for the pods), reach the NFS server: the export
   * has no authentication of its own (B29). Deploying again refreshes the node list, which a new
   * node needs before its pods can mount the share. No I/O.
   */
  public KubeObject accessPolicy(RecipeContext context, List<String> nodeAddresses) {
    List<Object> from =
        list(
            map(
                "podSelector",
                map("matchLabels", map(RecipeContext.PART_OF, context.environment()))));
    for (String address : nodeAddresses) {
      from.add(map("ipBlock", map("cidr", address + (address.contains(":") ? "/128" : "/32"))));
    }
    List<Object> ports = policyPorts(port -> port);
    return KubeObject.of("networking.k8s.io/v1", "NetworkPolicy", POLICY)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels("nfs"))
        .set(
            "spec",
            map(
                "podSelector",
                map("matchLabels", context.selector(ROLE)),
                "policyTypes",
                list("Ingress"),
                "ingress",
                list(map("from", from, "ports", ports))));
  }

  /**
   * The CiliumNetworkPolicy for clusters whose CNI is Cilium (DigitalOcean's is): the environment's
   * pods, and the {@code host} and {@code remote-node} entities (the kubelets, which mount the
   * share from the nodes), may reach the NFS ports. Cilium does not match nodes with the CIDR
   * blocks of a Kubernetes NetworkPolicy unless its {@code policy-cidr-match-mode} includes {@code
   * nodes}, which is off by default (docs/recipes.md). No I/O.
   */
  public KubeObject ciliumAccessPolicy(RecipeContext context) {
    // Cilium's schema takes ports as strings.
    List<Object> toPorts = list(map("ports", policyPorts(String::valueOf)));
    return KubeObject.of("cilium.io/v2", "CiliumNetworkPolicy", POLICY)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels("nfs"))
        .set(
            "spec",
            map(
                "endpointSelector",
                map("matchLabels", context.selector(ROLE)),
                "ingress",
                list(
                    map(
                        "fromEndpoints",
                        list(map("matchLabels", map(RecipeContext.PART_OF, context.environment()))),
                        "toPorts",
                        toPorts),
                    map("fromEntities", list("host", "remote-node"), "toPorts", toPorts))));
  }

  /** nfs, mountd and rpcbind, each over TCP and UDP, with the port as a policy kind spells it. */
  private static List<Object> policyPorts(java.util.function.IntFunction<Object> port) {
    List<Object> ports = list();
    for (int number : new int[] {2049, 20048, 111}) {
      for (String protocol : new String[] {"TCP", "UDP"}) {
        ports.add(map("port", port.apply(number), "protocol", protocol));
      }
    }
    return ports;
  }

  @Override
  public String toString() {
    return "NfsServer["
        + size
        + " on "
        + (storageClass == null ? "the default class" : storageClass)
        + (existing == null ? "" : ", volume " + existing.volumeHandle())
        + (restrictAccess ? "" : ", unrestricted")
        + "]";
  }
}
