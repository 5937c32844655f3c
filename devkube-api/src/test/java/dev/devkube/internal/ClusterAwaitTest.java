package dev.devkube.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devkube.AssociatedResources;
import dev.devkube.Cluster;
import dev.devkube.ClusterCredentials;
import dev.devkube.ClusterStatus;
import dev.devkube.ClusterUpdate;
import dev.devkube.DeleteOption;
import dev.devkube.MaintenanceWindow;
import dev.devkube.ManualClock;
import dev.devkube.Node;
import dev.devkube.NodePool;
import dev.devkube.NodePoolSpec;
import dev.devkube.Progress;
import dev.devkube.ProgressListener;
import dev.devkube.WaitFailedException;
import dev.devkube.WaitTimeoutException;
import dev.devkube.Waiter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class ClusterAwaitTest {
  private final List<Progress> reports = new ArrayList<>();
  private final Waiter waiter =
      Waiter.builder()
          .timeout(Duration.ofMinutes(20))
          .clock(new ManualClock())
          .random(() -> 0)
          .build();

  @Test
  void refreshesUntilRunningReportingNodesReady() {
    Deque<Snapshot> states =
        new ArrayDeque<>(
            List.of(
                new Snapshot(ClusterStatus.PROVISIONING, "creating control plane", List.of()),
                new Snapshot(ClusterStatus.PROVISIONING, null, List.of("provisioning", "running")),
                new Snapshot(ClusterStatus.RUNNING, null, List.of("running", "running"))));
    Snapshot start = new Snapshot(ClusterStatus.PROVISIONING, null, List.of(), states);

    Cluster running = ClusterAwait.awaitRunning(start, waiter, reports::add);

    assertThat(running.status()).isEqualTo(ClusterStatus.RUNNING);
    assertThat(reports)
        .extracting(Progress::toString)
        .containsExactly(
            "cluster devkube to be running: provisioning (creating control plane), 0/2 ready, 0ms",
            "cluster devkube to be running: provisioning, 1/2 ready, 2s");
  }

  @Test
  void errorStateFailsAtOnceWithTheProvidersMessage() {
    Snapshot start =
        new Snapshot(
            ClusterStatus.PROVISIONING,
            null,
            List.of(),
            new ArrayDeque<>(
                List.of(new Snapshot(ClusterStatus.ERROR, "droplet limit exceeded", List.of()))));

    assertThatThrownBy(() -> ClusterAwait.awaitRunning(start, waiter, ProgressListener.none()))
        .isInstanceOf(WaitFailedException.class)
        .hasMessage(
            "gave up waiting for cluster devkube to be running: state error: droplet limit"
                + " exceeded");
  }

  @Test
  void degradedAndUnknownStatesKeepWaitingUntilTheLimit() {
    Snapshot start = new Snapshot(ClusterStatus.UNKNOWN, null, List.of(), null);

    assertThatThrownBy(() -> ClusterAwait.awaitRunning(start, waiter, ProgressListener.none()))
        .isInstanceOf(WaitTimeoutException.class)
        .hasMessage(
            "timed out after 20m waiting for cluster devkube to be running; last state: unknown");
    assertThat(ClusterAwait.pollRunning(new Snapshot(ClusterStatus.DEGRADED, "x", List.of(), null)))
        .isNotNull();
  }

  /** A scripted cluster: each refresh returns the next snapshot, or itself when none is left. */
  private static final class Snapshot implements Cluster {
    private final ClusterStatus status;
    private final @Nullable String message;
    private final List<String> nodeStates;
    private final @Nullable Deque<Snapshot> next;

    Snapshot(ClusterStatus status, @Nullable String message, List<String> nodeStates) {
      this(status, message, nodeStates, null);
    }

    Snapshot(
        ClusterStatus status,
        @Nullable String message,
        List<String> nodeStates,
        @Nullable Deque<Snapshot> next) {
      this.status = status;
      this.message = message;
      this.nodeStates = nodeStates;
      this.next = next;
    }

    @Override
    public String id() {
      return "id";
    }

    @Override
    public String name() {
      return "devkube";
    }

    @Override
    public String region() {
      return "sfo2";
    }

    @Override
    public String version() {
      return "1.31.1-do.5";
    }

    @Override
    public ClusterStatus status() {
      return status;
    }

    @Override
    public @Nullable String statusMessage() {
      return message;
    }

    @Override
    public @Nullable URI endpoint() {
      return null;
    }

    @Override
    public List<String> tags() {
      return List.of();
    }

    @Override
    public boolean autoUpgrade() {
      return false;
    }

    @Override
    public boolean highAvailability() {
      return false;
    }

    @Override
    public @Nullable MaintenanceWindow maintenanceWindow() {
      return null;
    }

    @Override
    public @Nullable Instant createdAt() {
      return null;
    }

    @Override
    public List<NodePool> nodePools() {
      return List.of(new Pool(nodeStates));
    }

    @Override
    public Cluster refresh() {
      if (next == null) {
        return this;
      }
      Snapshot head = next.poll();
      return head == null ? this : new Snapshot(head.status, head.message, head.nodeStates, next);
    }

    @Override
    public Cluster awaitRunning(Duration timeout, ProgressListener listener) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ClusterCredentials credentials() {
      throw new UnsupportedOperationException();
    }

    @Override
    public String kubeconfig() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Cluster update(ClusterUpdate update) {
      throw new UnsupportedOperationException();
    }

    @Override
    public NodePool nodePool(String name) {
      throw new UnsupportedOperationException();
    }

    @Override
    public NodePool addNodePool(NodePoolSpec spec) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> availableUpgrades() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Cluster upgrade(String version) {
      throw new UnsupportedOperationException();
    }

    @Override
    public AssociatedResources associatedResources() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(DeleteOption... options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void awaitDeleted(Duration timeout) {
      throw new UnsupportedOperationException();
    }
  }

  private static final class Pool implements NodePool {
    private final List<String> nodeStates;

    Pool(List<String> nodeStates) {
      this.nodeStates = nodeStates;
    }

    @Override
    public String id() {
      return "pool-id";
    }

    @Override
    public String name() {
      return "devpool";
    }

    @Override
    public String size() {
      return "s-2vcpu-4gb";
    }

    @Override
    public int count() {
      return 2;
    }

    @Override
    public List<String> tags() {
      return List.of();
    }

    @Override
    public Map<String, String> labels() {
      return Map.of();
    }

    @Override
    public boolean autoScale() {
      return false;
    }

    @Override
    public int minNodes() {
      return 0;
    }

    @Override
    public int maxNodes() {
      return 0;
    }

    @Override
    public NodePool resize(int count) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete() {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<Node> nodes() {
      List<Node> nodes = new ArrayList<>();
      for (int i = 0; i < nodeStates.size(); i++) {
        nodes.add(new Node("n" + i, "devpool-" + i, nodeStates.get(i), null));
      }
      return nodes;
    }
  }
}
