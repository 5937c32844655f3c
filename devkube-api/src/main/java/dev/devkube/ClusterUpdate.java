package dev.devkube;

import static dev.devkube.internal.Validation.requireDnsLabel;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Changes to an existing cluster's settings. Starts empty; each method returns a copy with one more
 * change, and unset fields keep their current values on the server.
 *
 * <pre>{@code
 * cluster.update(ClusterUpdate.of().tags("dev", "team-a").autoUpgrade(true));
 * }</pre>
 *
 * @param name a new name, or null to keep it
 * @param tags new tags replacing the old ones, or null to keep them
 * @param autoUpgrade a new auto-upgrade setting, or null to keep it
 * @param surgeUpgrade a new surge-upgrade setting, or null to keep it
 * @param maintenanceWindow a new maintenance window, or null to keep it
 */
public record ClusterUpdate(
    @Nullable String name,
    @Nullable List<String> tags,
    @Nullable Boolean autoUpgrade,
    @Nullable Boolean surgeUpgrade,
    @Nullable MaintenanceWindow maintenanceWindow) {

  public ClusterUpdate {
    if (name != null) {
      requireDnsLabel("cluster name", name);
    }
    if (tags != null) {
      tags = List.copyOf(tags);
      tags.forEach(ClusterSpec::requireTag);
    }
  }

  /** An update that changes nothing yet. */
  public static ClusterUpdate of() {
    return new ClusterUpdate(null, null, null, null, null);
  }

  /** Renames the cluster; {@code name} must be a DNS label. */
  public ClusterUpdate name(String name) {
    return new ClusterUpdate(
        Objects.requireNonNull(name, "name"), tags, autoUpgrade, surgeUpgrade, maintenanceWindow);
  }

  /** Replaces the cluster's tags. */
  public ClusterUpdate tags(String... tags) {
    return new ClusterUpdate(name, List.of(tags), autoUpgrade, surgeUpgrade, maintenanceWindow);
  }

  /** Turns automatic patch upgrades on or off. */
  public ClusterUpdate autoUpgrade(boolean autoUpgrade) {
    return new ClusterUpdate(name, tags, autoUpgrade, surgeUpgrade, maintenanceWindow);
  }

  /** Turns surge upgrades (new nodes before old ones go) on or off. */
  public ClusterUpdate surgeUpgrade(boolean surgeUpgrade) {
    return new ClusterUpdate(name, tags, autoUpgrade, surgeUpgrade, maintenanceWindow);
  }

  /** Moves the maintenance window. */
  public ClusterUpdate maintenanceWindow(MaintenanceWindow window) {
    return new ClusterUpdate(
        name, tags, autoUpgrade, surgeUpgrade, Objects.requireNonNull(window, "window"));
  }
}
