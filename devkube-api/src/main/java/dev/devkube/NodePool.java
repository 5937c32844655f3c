package dev.devkube;

import java.util.List;
import java.util.Map;

/**
 * A handle on one node pool of a cluster, with the state last read and the verbs that change it.
 * Handles are immutable: the verbs return a new handle with the state the provider answered.
 */
public interface NodePool {
  /** The provider's id of the pool. */
  String id();

  /** The pool's name, unique within its cluster. */
  String name();

  /** The machine size slug of every node, e.g. {@code s-2vcpu-4gb}. */
  String size();

  /** The number of nodes asked for. */
  int count();

  /** The nodes as last read; while provisioning there may be fewer, or some not yet running. */
  List<Node> nodes();

  /** The pool's tags. */
  List<String> tags();

  /** The Kubernetes labels applied to every node of the pool. */
  Map<String, String> labels();

  /**
   * Whether the provider adds and removes nodes between {@link #minNodes} and {@link #maxNodes}.
   */
  boolean autoScale();

  /** The fewest nodes auto-scaling keeps; 0 when it is off. */
  int minNodes();

  /** The most nodes auto-scaling adds; 0 when it is off. */
  int maxNodes();

  /** Asks for {@code count} nodes (at least 1) and returns the pool as the provider answered. */
  NodePool resize(int count);

  /** Deletes the pool and its nodes. */
  void delete();

  /** How many of this pool's nodes the provider reports as running. */
  default int runningNodes() {
    return (int) nodes().stream().filter(Node::isRunning).count();
  }
}
