package dev.devkube;

import static dev.devkube.internal.Validation.requireDnsLabel;
import static dev.devkube.internal.Validation.requireNonBlank;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node pool should be: a name, a machine size, a node count, and optionally tags, node
 * labels and auto-scaling bounds. Checked when made.
 *
 * <pre>{@code
 * NodePoolSpec.of("devpool", "s-2vcpu-4gb", 2).withAutoScale(1, 4)
 * }</pre>
 *
 * @param name the pool's name, a DNS label
 * @param size the machine size slug, e.g. {@code s-2vcpu-4gb}
 * @param count the number of nodes, at least 1
 * @param tags tags for the pool's machines
 * @param labels Kubernetes labels for the pool's nodes
 * @param autoScale whether the provider scales the pool between minNodes and maxNodes
 * @param minNodes the fewest nodes when auto-scaling, else 0
 * @param maxNodes the most nodes when auto-scaling, else 0
 */
public record NodePoolSpec(
    String name,
    String size,
    int count,
    List<String> tags,
    Map<String, String> labels,
    boolean autoScale,
    int minNodes,
    int maxNodes) {

  public NodePoolSpec {
    requireDnsLabel("node pool name", name);
    requireNonBlank("node pool " + name + " size", size);
    if (count < 1) {
      throw new IllegalArgumentException(
          "node pool " + name + " count " + count + " is below 1: a pool needs at least one node");
    }
    tags = List.copyOf(tags);
    tags.forEach(ClusterSpec::requireTag);
    labels = Map.copyOf(labels);
    labels.forEach(
        (key, value) -> {
          requireNonBlank("node pool " + name + " label key", key);
          if (value == null) {
            throw new IllegalArgumentException(
                "node pool " + name + " label " + key + " has no value");
          }
        });
    if (autoScale
        && (minNodes < 0
            || maxNodes < Math.max(1, minNodes)
            || count < minNodes
            || count > maxNodes)) {
      throw new IllegalArgumentException(
          "node pool "
              + name
              + " auto-scale bounds "
              + minNodes
              + ".."
              + maxNodes
              + " do not hold count "
              + count
              + ": use 0 <= min <= count <= max, max >= 1");
    }
    if (!autoScale && (minNodes != 0 || maxNodes != 0)) {
      throw new IllegalArgumentException(
          "node pool "
              + name
              + " has bounds "
              + minNodes
              + ".."
              + maxNodes
              + " but auto-scale is off: use withAutoScale(min, max)");
    }
  }

  /** A pool of {@code count} nodes of {@code size}, with no tags, labels or auto-scaling. */
  public static NodePoolSpec of(String name, String size, int count) {
    return new NodePoolSpec(name, size, count, List.of(), Map.of(), false, 0, 0);
  }

  /** Returns a copy with {@code tags}. */
  public NodePoolSpec withTags(String... tags) {
    return new NodePoolSpec(
        name, size, count, List.of(tags), labels, autoScale, minNodes, maxNodes);
  }

  /** Returns a copy with {@code labels} on every node. */
  public NodePoolSpec withLabels(Map<String, String> labels) {
    return new NodePoolSpec(
        name, size, count, tags, new LinkedHashMap<>(labels), autoScale, minNodes, maxNodes);
  }

  /** Returns a copy that auto-scales between {@code min} and {@code max} nodes. */
  public NodePoolSpec withAutoScale(int min, int max) {
    return new NodePoolSpec(name, size, count, tags, labels, true, min, max);
  }
}
