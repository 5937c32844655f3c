package dev.devkube.digitalocean.internal;

import static dev.devkube.digitalocean.internal.DoModel.orEmpty;

import dev.devkube.Node;
import dev.devkube.NodePool;
import dev.devkube.digitalocean.internal.DoJson.NodePoolJson;
import dev.devkube.digitalocean.internal.DoJson.UpdateNodePool;
import java.util.List;
import java.util.Map;

/** A node pool of a DigitalOcean cluster, as last read. */
final class DoNodePool implements NodePool {
  private final DoClient client;
  private final String clusterId;
  private final String id;
  private final String name;
  private final String size;
  private final int count;
  private final List<Node> nodes;
  private final List<String> tags;
  private final Map<String, String> labels;
  private final boolean autoScale;
  private final int minNodes;
  private final int maxNodes;

  DoNodePool(DoClient client, String clusterId, NodePoolJson json) {
    this.client = client;
    this.clusterId = clusterId;
    this.id = orEmpty(json.id);
    this.name = orEmpty(json.name);
    this.size = orEmpty(json.size);
    this.count = json.count == null ? 0 : json.count;
    this.nodes = List.copyOf(DoModel.nodes(json.nodes));
    this.tags = List.copyOf(orEmpty(json.tags));
    this.labels = json.labels == null ? Map.of() : Map.copyOf(json.labels);
    this.autoScale = Boolean.TRUE.equals(json.autoScale);
    this.minNodes = json.minNodes == null ? 0 : json.minNodes;
    this.maxNodes = json.maxNodes == null ? 0 : json.maxNodes;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String size() {
    return size;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public List<Node> nodes() {
    return nodes;
  }

  @Override
  public List<String> tags() {
    return tags;
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public boolean autoScale() {
    return autoScale;
  }

  @Override
  public int minNodes() {
    return minNodes;
  }

  @Override
  public int maxNodes() {
    return maxNodes;
  }

  @Override
  public NodePool resize(int count) {
    if (count < 1) {
      throw new IllegalArgumentException(
          "node pool "
              + name
              + " count "
              + count
              + " is below 1: a pool needs at least one node (delete the pool to remove it)");
    }
    if (autoScale && (count < minNodes || count > maxNodes)) {
      throw new IllegalArgumentException(
          "node pool "
              + name
              + " count "
              + count
              + " is outside its auto-scale bounds "
              + minNodes
              + ".."
              + maxNodes);
    }
    UpdateNodePool body = new UpdateNodePool();
    body.name = name;
    body.count = count;
    if (autoScale) {
      body.autoScale = true;
      body.minNodes = minNodes;
      body.maxNodes = maxNodes;
    }
    DoJson.NodePoolEnvelope answer =
        client.call(
            client.api().updateNodePool(clusterId, id, body),
            "resize node pool " + name + " of cluster " + clusterId + " to " + count);
    return new DoNodePool(
        client,
        clusterId,
        DoClusters.require(answer.nodePool, "node_pool", "resize node pool " + name));
  }

  @Override
  public void delete() {
    client.callNoBody(
        client.api().deleteNodePool(clusterId, id),
        "delete node pool " + name + " of cluster " + clusterId);
  }

  @Override
  public String toString() {
    return "NodePool[" + name + ", " + count + " x " + size + ", " + runningNodes() + " running]";
  }
}
