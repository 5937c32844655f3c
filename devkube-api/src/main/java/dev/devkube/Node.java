package dev.devkube;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One worker node of a node pool, as the provider reports it.
 *
 * @param id the provider's id of the node (may be empty while it is being created)
 * @param name the node's name, which is also its Kubernetes node name (may be empty at first)
 * @param state the provider's state, e.g. {@code provisioning}, {@code running}, {@code draining}
 * @param instanceId the id of the machine behind the node, e.g. a DigitalOcean droplet id
 * @param createdAt when the node was created, or null when the provider did not say
 * @param updatedAt when the node last changed, or null when the provider did not say
 */
public record Node(
    String id,
    String name,
    String state,
    @Nullable String instanceId,
    @Nullable Instant createdAt,
    @Nullable Instant updatedAt) {
  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }

  /** A node whose times the provider did not report. */
  public Node(String id, String name, String state, @Nullable String instanceId) {
    this(id, name, state, instanceId, null, null);
  }

  /** Whether the provider reports the node as running. */
  public boolean isRunning() {
    return "running".equalsIgnoreCase(state);
  }
}
