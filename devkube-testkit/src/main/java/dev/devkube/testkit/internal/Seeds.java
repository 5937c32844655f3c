package dev.devkube.testkit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The objects a new fake cluster starts with, as the API server would store them. */
public final class Seeds {
  private Seeds() {}

  /** A namespace: its name label, the kubernetes finalizer, Active. */
  public static Map<String, @Nullable Object> namespace(String name) {
    return Doc.obj(
        "apiVersion",
        "v1",
        "kind",
        "Namespace",
        "metadata",
        Doc.obj("name", name, "labels", Doc.obj("kubernetes.io/metadata.name", name)),
        "spec",
        Doc.obj("finalizers", List.of("kubernetes")),
        "status",
        Doc.obj("phase", "Active"));
  }

  /**
   * A storage class that binds at once and deletes its volumes with their claims; DOKS's class is
   * provisioned by DigitalOcean's CSI driver (its volumes have handles).
   */
  public static Map<String, @Nullable Object> storageClass(String name, boolean isDefault) {
    Map<String, @Nullable Object> metadata = Doc.obj("name", name);
    if (isDefault) {
      metadata.put("annotations", Doc.obj("storageclass.kubernetes.io/is-default-class", "true"));
    }
    return Doc.obj(
        "apiVersion",
        "storage.k8s.io/v1",
        "kind",
        "StorageClass",
        "metadata",
        metadata,
        "provisioner",
        name.equals("do-block-storage") ? "dobs.csi.digitalocean.com" : "fake.devkube.dev",
        "reclaimPolicy",
        "Delete",
        "volumeBindingMode",
        "Immediate");
  }

  /** Node {@code i}: Ready, with an internal address, an external one when asked, a host name. */
  public static Map<String, @Nullable Object> node(int i, boolean externalIp) {
    List<Object> addresses = new ArrayList<>();
    addresses.add(Doc.obj("type", "InternalIP", "address", "10.0.0." + i));
    if (externalIp) {
      addresses.add(Doc.obj("type", "ExternalIP", "address", "203.0.113." + (i + 6)));
    }
    addresses.add(Doc.obj("type", "Hostname", "address", "node-" + i));
    return Doc.obj(
        "apiVersion",
        "v1",
        "kind",
        "Node",
        "metadata",
        Doc.obj("name", "node-" + i, "labels", Doc.obj("kubernetes.io/hostname", "node-" + i)),
        "status",
        Doc.obj(
            "addresses",
            addresses,
            "conditions",
            List.of(Doc.obj("type", "Ready", "status", "True", "reason", "KubeletReady"))));
  }
}
