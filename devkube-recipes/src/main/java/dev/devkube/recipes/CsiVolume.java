package dev.devkube.recipes;

import java.util.Map;
import java.util.Objects;

/**
 * A cloud volume that already exists (kept from an earlier cluster, for example), as its CSI driver
 * names it: the NFS server can serve it again instead of a new, empty one ({@link
 * NfsServer#onVolume(CsiVolume)}). The volume must be detached and in the cluster's region.
 *
 * @param driver the CSI driver, such as {@code dobs.csi.digitalocean.com}
 * @param volumeHandle the driver's id of the volume
 * @param fsType the file system on it
 * @param size its size, a Kubernetes quantity such as {@code 10Gi}
 * @param attributes the driver's volume attributes
 */
public record CsiVolume(
    String driver,
    String volumeHandle,
    String fsType,
    String size,
    Map<String, String> attributes) {
  /** DigitalOcean's Block Storage CSI driver. */
  public static final String DIGITALOCEAN_DRIVER = "dobs.csi.digitalocean.com";

  public CsiVolume {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(fsType, "fsType");
    Objects.requireNonNull(size, "size");
    if (volumeHandle == null || volumeHandle.isBlank()) {
      throw new IllegalArgumentException("the volume's handle (its id) is empty: give the id");
    }
    attributes = Map.copyOf(attributes);
  }

  /**
   * A DigitalOcean Block Storage volume by its id: ext4, and {@code com.digitalocean.csi/noformat}
   * so that the driver never formats it again (its files stay).
   */
  public static CsiVolume digitalOceanBlockStorage(String volumeId, String size) {
    return new CsiVolume(
        DIGITALOCEAN_DRIVER,
        volumeId,
        "ext4",
        NfsServer.create().size(size).size(),
        Map.of("com.digitalocean.csi/noformat", "true"));
  }
}
