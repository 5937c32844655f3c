package dev.devkube;

import static dev.devkube.internal.Validation.quote;
import static dev.devkube.internal.Validation.requireDnsLabel;
import static dev.devkube.internal.Validation.requireNonBlank;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a cluster should be. Immutable: each method returns a changed copy, and each checks its
 * argument at once, so a bad value fails where it is written, before anything is sent.
 *
 * <pre>{@code
 * ClusterSpec spec = ClusterSpec.named("devkube").region("sfo2").latestVersion()
 *     .nodePool("devpool", "s-2vcpu-4gb", 2)
 *     .tags("dev")
 *     .maintenanceWindow(MaintenanceWindow.anyDay(LocalTime.of(3, 0)));
 * }</pre>
 *
 * <p>A provider calls {@link #validate()} before creating, which also requires a region and at
 * least one node pool, and checks region, version and sizes against its {@linkplain ClusterOptions
 * options}.
 */
public final class ClusterSpec {
  /** The version slug that stands for the newest version the provider offers. */
  public static final String LATEST = "latest";

  private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9.-]*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9:_-]{1,255}");
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private final String name;
  private final @Nullable String region;
  private final String version;
  private final List<NodePoolSpec> nodePools;
  private final List<String> tags;
  private final boolean autoUpgrade;
  private final boolean surgeUpgrade;
  private final boolean highAvailability;
  private final @Nullable String vpc;
  private final @Nullable MaintenanceWindow maintenanceWindow;

  private ClusterSpec(
      String name,
      @Nullable String region,
      String version,
      List<NodePoolSpec> nodePools,
      List<String> tags,
      boolean autoUpgrade,
      boolean surgeUpgrade,
      boolean highAvailability,
      @Nullable String vpc,
      @Nullable MaintenanceWindow maintenanceWindow) {
    this.name = name;
    this.region = region;
    this.version = version;
    this.nodePools = List.copyOf(nodePools);
    this.tags = List.copyOf(tags);
    this.autoUpgrade = autoUpgrade;
    this.surgeUpgrade = surgeUpgrade;
    this.highAvailability = highAvailability;
    this.vpc = vpc;
    this.maintenanceWindow = maintenanceWindow;
  }

  /**
   * Starts a spec for a cluster called {@code name}, a DNS label (1-63 lower-case letters, digits
   * and '-'), on the latest version, with no region and no node pools yet.
   */
  public static ClusterSpec named(String name) {
    requireDnsLabel("cluster name", name);
    return new ClusterSpec(
        name, null, LATEST, List.of(), List.of(), false, false, false, null, null);
  }

  /** The region slug, e.g. {@code sfo2}. */
  public ClusterSpec region(String region) {
    requireSlug("region", region);
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  /** A version slug, e.g. {@code 1.31.1-do.5}, or {@link #LATEST}. */
  public ClusterSpec version(String version) {
    requireSlug("version", version);
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  /** The newest version the provider offers, resolved when the cluster is created (the default). */
  public ClusterSpec latestVersion() {
    return version(LATEST);
  }

  /** Adds a pool of {@code count} nodes of machine size {@code size}. */
  public ClusterSpec nodePool(String name, String size, int count) {
    return nodePool(NodePoolSpec.of(name, size, count));
  }

  /** Adds a node pool; its name must differ from the pools added before. */
  public ClusterSpec nodePool(NodePoolSpec pool) {
    Objects.requireNonNull(pool, "pool");
    for (NodePoolSpec existing : nodePools) {
      if (existing.name().equals(pool.name())) {
        throw new IllegalArgumentException(
            "cluster "
                + name
                + " already has a node pool named "
                + quote(pool.name())
                + ": give each pool its own name");
      }
    }
    List<NodePoolSpec> pools = new ArrayList<>(nodePools);
    pools.add(pool);
    return new ClusterSpec(
        name,
        region,
        version,
        pools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  /** Tags for the cluster: letters, digits, ':', '-' and '_', up to 255 characters each. */
  public ClusterSpec tags(String... tags) {
    List<String> copy = List.of(tags);
    copy.forEach(ClusterSpec::requireTag);
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        copy,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  /** Whether the provider upgrades patch versions in the maintenance window. Off by default. */
  public ClusterSpec autoUpgrade(boolean autoUpgrade) {
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  /** Whether upgrades add new nodes before draining old ones. Off by default. */
  public ClusterSpec surgeUpgrade(boolean surgeUpgrade) {
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  /** Whether the control plane is highly available (billed extra). Off by default. */
  public ClusterSpec highAvailability(boolean highAvailability) {
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  /** The UUID of the VPC to create the cluster in; the region's default VPC unless set. */
  public ClusterSpec vpc(String vpcUuid) {
    if (vpcUuid == null || !UUID.matcher(vpcUuid).matches()) {
      throw new IllegalArgumentException(
          "VPC "
              + quote(vpcUuid)
              + " is not a UUID: give the VPC's id, such as c33931f2-a26a-4e61-b85c-4e95a2ec431b");
    }
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpcUuid,
        maintenanceWindow);
  }

  /** When the provider may do maintenance; the provider's default unless set. */
  public ClusterSpec maintenanceWindow(MaintenanceWindow window) {
    Objects.requireNonNull(window, "window");
    return new ClusterSpec(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        window);
  }

  /**
   * Checks what the fluent calls could not check one by one: a region is set and there is at least
   * one node pool. Returns this spec.
   *
   * @throws IllegalArgumentException naming what is missing
   */
  public ClusterSpec validate() {
    if (region == null) {
      throw new IllegalArgumentException(
          "cluster "
              + name
              + " has no region: call region(...),"
              + " for example region(\"sfo2\")");
    }
    if (nodePools.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster "
              + name
              + " has no node pool: call"
              + " nodePool(name, size, count), for example nodePool(\"devpool\", \"s-2vcpu-4gb\", 2)");
    }
    return this;
  }

  /** The cluster's name. */
  public String name() {
    return name;
  }

  /** The region slug, or null while none is set. */
  public @Nullable String region() {
    return region;
  }

  /** The version slug, or {@link #LATEST}. */
  public String version() {
    return version;
  }

  /** Whether the version is to be resolved to the newest one offered. */
  public boolean isLatestVersion() {
    return LATEST.equals(version);
  }

  /** The node pools, in the order they were added. */
  public List<NodePoolSpec> nodePools() {
    return nodePools;
  }

  /** The sum of the node pools' counts. */
  public int nodeCount() {
    return nodePools.stream().mapToInt(NodePoolSpec::count).sum();
  }

  /** The tags the cluster is created with. */
  public List<String> tags() {
    return tags;
  }

  /** Whether the provider upgrades the cluster's patch versions by itself. */
  public boolean autoUpgrade() {
    return autoUpgrade;
  }

  /** Whether upgrades first add nodes, so workloads keep running while nodes are replaced. */
  public boolean surgeUpgrade() {
    return surgeUpgrade;
  }

  /** Whether the control plane is highly available. */
  public boolean highAvailability() {
    return highAvailability;
  }

  /** The VPC's UUID, or null for the region's default VPC. */
  public @Nullable String vpc() {
    return vpc;
  }

  /** The maintenance window, or null for the provider's default. */
  public @Nullable MaintenanceWindow maintenanceWindow() {
    return maintenanceWindow;
  }

  static String requireTag(String tag) {
    if (tag == null || !TAG.matcher(tag).matches()) {
      throw new IllegalArgumentException(
          "tag "
              + quote(tag)
              + " is not valid: use 1 to 255 letters,"
              + " digits, ':', '-' and '_'");
    }
    return tag;
  }

  private static void requireSlug(String what, @Nullable String slug) {
    requireNonBlank(what, slug);
    if (!SLUG.matcher(slug).matches()) {
      throw new IllegalArgumentException(
          what
              + " "
              + quote(slug)
              + " is not a slug: use lower-case"
              + " letters, digits, '.' and '-', such as "
              + ("region".equals(what) ? "sfo2" : "1.31.1-do.5"));
    }
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof ClusterSpec other)) {
      return false;
    }

    return name.equals(other.name)
        && Objects.equals(region, other.region)
        && version.equals(other.version)
        && nodePools.equals(other.nodePools)
        && tags.equals(other.tags)
        && autoUpgrade == other.autoUpgrade
        && surgeUpgrade == other.surgeUpgrade
        && highAvailability == other.highAvailability
        && Objects.equals(vpc, other.vpc)
        && Objects.equals(maintenanceWindow, other.maintenanceWindow);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name,
        region,
        version,
        nodePools,
        tags,
        autoUpgrade,
        surgeUpgrade,
        highAvailability,
        vpc,
        maintenanceWindow);
  }

  @Override
  public String toString() {
    return "ClusterSpec[name="
        + name
        + ", region="
        + region
        + ", version="
        + version
        + ", nodePools="
        + nodePools
        + ", tags="
        + tags
        + ", autoUpgrade="
        + autoUpgrade
        + ", surgeUpgrade="
        + surgeUpgrade
        + ", highAvailability="
        + highAvailability
        + ", vpc="
        + vpc
        + ", maintenanceWindow="
        + maintenanceWindow
        + "]";
  }
}
