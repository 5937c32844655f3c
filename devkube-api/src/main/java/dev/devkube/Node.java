package dev.devkube;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One worker node of a node pool, as the provider reports it.
 *
 * @param id the provider's id of the node (may be empty while it is being created)
 * @param name the node's name, which is also its Kubernetes node name (may be empty at first)
 * @param state the provider's state, e.g. {@code provisioning}, {@code running}, {@code draining}
 * @param instanceId the id of the machine behind the node, e.g. a DigitalOcean droplet id
 */
public record Node(String id, String name, String state, @Nullable String instanceId) {
  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }

  /** Whether the provider reports the node as running. */
  public boolean isRunning() {
    return "running".equalsIgnoreCase(state);
  }
}
