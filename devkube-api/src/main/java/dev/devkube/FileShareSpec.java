package dev.devkube;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a new managed file share should be. Immutable; checked as it is built, before anything is
 * sent.
 *
 * <pre>{@code
 * FileShareSpec.named("devkube-share").region("atl1").sizeGib(50).vpc(cluster.vpcId())
 * }</pre>
 */
public final class FileShareSpec {
  /** DigitalOcean's smallest share. */
  public static final int MINIMUM_GIB = 50;

  private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");

  private final String name;
  private final String region;
  private final int sizeGib;
  private final List<String> vpcIds;

  private FileShareSpec(String name, String region, int sizeGib, List<String> vpcIds) {
    this.name = name;
    this.region = region;
    this.sizeGib = sizeGib;
    this.vpcIds = List.copyOf(vpcIds);
  }

  /** A share called {@code name}: lower-case letters, digits and dashes, up to 64. */
  public static FileShareSpec named(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "file share name \""
              + name
              + "\" is not usable: use 1-64 lower-case letters, digits and dashes, starting and"
              + " ending with a letter or digit");
    }
    return new FileShareSpec(name, "", MINIMUM_GIB, List.of());
  }

  /** The region slug, such as {@code atl1}: the cluster's, to be reachable from it. */
  public FileShareSpec region(String region) {
    if (region == null || region.isBlank()) {
      throw new IllegalArgumentException("the region is empty: give a slug such as atl1");
    }
    return new FileShareSpec(name, region, sizeGib, vpcIds);
  }

  /** The size in GiB, at least {@value #MINIMUM_GIB} (default). */
  public FileShareSpec sizeGib(int sizeGib) {
    if (sizeGib < MINIMUM_GIB) {
      throw new IllegalArgumentException(
          "file share size "
              + sizeGib
              + " GiB is below the smallest share, "
              + MINIMUM_GIB
              + " GiB");
    }
    return new FileShareSpec(name, region, sizeGib, vpcIds);
  }

  /** Adds a network (VPC) whose machines may mount the share, such as a cluster's. */
  public FileShareSpec vpc(String vpcId) {
    if (vpcId == null || vpcId.isBlank()) {
      throw new IllegalArgumentException("the VPC id is empty: give the cluster's vpcId()");
    }
    List<String> more = new ArrayList<>(vpcIds);
    if (!more.contains(vpcId)) {
      more.add(vpcId);
    }
    return new FileShareSpec(name, region, sizeGib, more);
  }

  /** The share's name. */
  public String name() {
    return name;
  }

  /** The region the share is created in. */
  public String region() {
    return region;
  }

  /** The share's size in GiB. */
  public int sizeGib() {
    return sizeGib;
  }

  /** The networks (VPC ids) the share can be mounted from. */
  public List<String> vpcIds() {
    return vpcIds;
  }

  /**
   * Checks that the spec is complete: a region and at least one network.
   *
   * @throws IllegalStateException naming what is missing
   */
  public FileShareSpec validate() {
    if (region.isEmpty()) {
      throw new IllegalStateException(
          "file share " + name + " has no region: call region(...), the cluster's region");
    }
    if (vpcIds.isEmpty()) {
      throw new IllegalStateException(
          "file share "
              + name
              + " is reachable from no network: call vpc(cluster.vpcId()) so the cluster can"
              + " mount it");
    }
    return this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FileShareSpec o
        && name.equals(o.name)
        && region.equals(o.region)
        && sizeGib == o.sizeGib
        && vpcIds.equals(o.vpcIds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, region, sizeGib, vpcIds);
  }

  @Override
  public String toString() {
    return "FileShareSpec["
        + name
        + " in "
        + region
        + ", "
        + sizeGib
        + " GiB, vpcs "
        + vpcIds
        + "]";
  }
}
