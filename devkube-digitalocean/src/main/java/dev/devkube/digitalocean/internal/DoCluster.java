package dev.devkube.digitalocean.internal;

import static dev.devkube.digitalocean.internal.DoModel.orEmpty;

import dev.devkube.AssociatedResources;
import dev.devkube.Cluster;
import dev.devkube.ClusterCredentials;
import dev.devkube.ClusterStatus;
import dev.devkube.ClusterUpdate;
import dev.devkube.DeleteOption;
import dev.devkube.MaintenanceWindow;
import dev.devkube.NodePool;
import dev.devkube.NodePoolSpec;
import dev.devkube.NotFoundException;
import dev.devkube.Poll;
import dev.devkube.ProgressListener;
import dev.devkube.TransportException;
import dev.devkube.digitalocean.internal.DoJson.ClusterJson;
import dev.devkube.digitalocean.internal.DoJson.CredentialsJson;
import dev.devkube.digitalocean.internal.DoJson.DestroySelective;
import dev.devkube.digitalocean.internal.DoJson.NodePoolJson;
import dev.devkube.digitalocean.internal.DoJson.UpdateCluster;
import dev.devkube.digitalocean.internal.DoJson.Upgrade;
import dev.devkube.internal.ClusterAwait;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A DigitalOcean Kubernetes cluster, as last read. */
final class DoCluster implements Cluster {
  private static final Logger log = LoggerFactory.getLogger(DoCluster.class);

  private final DoClient client;
  private final String id;
  private final String name;
  private final String region;
  private final String version;
  private final ClusterStatus status;
  private final @Nullable String statusMessage;
  private final @Nullable URI endpoint;
  private final List<NodePool> nodePools;
  private final List<String> tags;
  private final boolean autoUpgrade;
  private final boolean highAvailability;
  private final @Nullable MaintenanceWindow maintenanceWindow;
  private final @Nullable Instant createdAt;
  private final @Nullable Instant updatedAt;
  private final @Nullable String vpcId;
  private final boolean surgeUpgrade;
  private final @Nullable String ipv4;
  private final @Nullable String clusterSubnet;
  private final @Nullable String serviceSubnet;

  DoCluster(DoClient client, ClusterJson json) {
    this.client = client;
    this.id = Objects.requireNonNull(json.id, "cluster id");
    this.name = orEmpty(json.name);
    this.region = orEmpty(json.region);
    this.version = orEmpty(json.version);
    this.status = ClusterStatus.parse(json.status == null ? null : json.status.state);
    this.statusMessage = json.status == null ? null : json.status.message;
    this.endpoint = endpoint(json);
    List<NodePool> pools = new ArrayList<>();
    for (NodePoolJson pool : orEmpty(json.nodePools)) {
      pools.add(new DoNodePool(client, id, pool));
    }
    this.nodePools = List.copyOf(pools);
    this.tags = List.copyOf(orEmpty(json.tags));
    this.autoUpgrade = Boolean.TRUE.equals(json.autoUpgrade);
    this.highAvailability = Boolean.TRUE.equals(json.ha);
    this.maintenanceWindow = DoModel.maintenanceWindow(json.maintenancePolicy);
    this.createdAt = DoModel.instant(json.createdAt);
    this.updatedAt = DoModel.instant(json.updatedAt);
    this.vpcId = blankToNull(json.vpcUuid);
    this.surgeUpgrade = Boolean.TRUE.equals(json.surgeUpgrade);
    this.ipv4 = blankToNull(json.ipv4);
    this.clusterSubnet = blankToNull(json.clusterSubnet);
    this.serviceSubnet = blankToNull(json.serviceSubnet);
  }

  /**
   * The API server's URL; an endpoint that is not one is left out (and logged), so that one odd
   * record never hides the rest of a listing.
   */
  private static @Nullable URI endpoint(ClusterJson json) {
    String text = json.endpoint;
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(text.trim());
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // logged below
    }
    log.warn(
        "cluster {} ({}) has an endpoint that is not a URL, {}: it is read without one",
        json.name,
        json.id,
        text);
    return null;
  }

  private static @Nullable String blankToNull(@Nullable String text) {
    return text == null || text.isBlank() ? null : text;
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
  public String region() {
    return region;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public ClusterStatus status() {
    return status;
  }

  @Override
  public @Nullable String statusMessage() {
    return statusMessage;
  }

  @Override
  public @Nullable URI endpoint() {
    return endpoint;
  }

  @Override
  public List<NodePool> nodePools() {
    return nodePools;
  }

  @Override
  public List<String> tags() {
    return tags;
  }

  @Override
  public boolean autoUpgrade() {
    return autoUpgrade;
  }

  @Override
  public boolean highAvailability() {
    return highAvailability;
  }

  @Override
  public @Nullable MaintenanceWindow maintenanceWindow() {
    return maintenanceWindow;
  }

  @Override
  public @Nullable Instant createdAt() {
    return createdAt;
  }

  @Override
  public @Nullable Instant updatedAt() {
    return updatedAt;
  }

  @Override
  public @Nullable String vpcId() {
    return vpcId;
  }

  @Override
  public boolean surgeUpgrade() {
    return surgeUpgrade;
  }

  @Override
  public @Nullable String ipv4() {
    return ipv4;
  }

  @Override
  public @Nullable String clusterSubnet() {
    return clusterSubnet;
  }

  @Override
  public @Nullable String serviceSubnet() {
    return serviceSubnet;
  }

  @Override
  public Cluster refresh() {
    return DoClusters.fetch(client, id);
  }

  @Override
  public Cluster awaitRunning(Duration timeout, ProgressListener listener) {
    return client
        .waiter(timeout)
        .await(
            "cluster " + name + " to be running",
            () -> ClusterAwait.pollRunning(refresh()).notBefore(client.rateLimitDelay()),
            listener);
  }

  @Override
  public ClusterCredentials credentials() {
    CredentialsJson json =
        client.call(client.api().credentials(id, null), "get credentials of cluster " + name);
    String server =
        json.server != null ? json.server : endpoint == null ? null : endpoint.toString();
    if (server == null) {
      throw new TransportException(
          "DigitalOcean gave no API server address for cluster "
              + name
              + (status == ClusterStatus.RUNNING
                  ? ", although it is running: ask again in a minute; if it persists, the"
                      + " cluster's page in the DigitalOcean control panel says why"
                  : " (state " + status.slug() + "): wait until it is running"),
          null);
    }
    URI serverUri;
    try {
      serverUri = new URI(server);
    } catch (URISyntaxException e) {
      throw new TransportException(
          "DigitalOcean gave cluster "
              + name
              + " an API server address that is not a URL: "
              + server,
          e);
    }
    // Without a CA, the API server's certificate is checked against the JVM's authorities.
    String ca =
        json.certificateAuthorityData == null ? null : decode(json.certificateAuthorityData);
    return new ClusterCredentials(
        id,
        name,
        serverUri,
        ca,
        json.clientCertificateData == null ? null : decode(json.clientCertificateData),
        json.clientKeyData == null ? null : decode(json.clientKeyData),
        json.token,
        DoModel.instant(json.expiresAt));
  }

  private String decode(String base64) {
    try {
      return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new TransportException(
          "DigitalOcean's credentials for cluster "
              + name
              + " hold data that is not base64: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String kubeconfig() {
    return client.callText(client.api().kubeconfig(id, null), "get kubeconfig of cluster " + name);
  }

  @Override
  public Cluster update(ClusterUpdate update) {
    UpdateCluster body = new UpdateCluster();
    body.name = update.name() != null ? update.name() : name; // DigitalOcean requires the name
    body.tags = update.tags();
    body.autoUpgrade = update.autoUpgrade();
    body.surgeUpgrade = update.surgeUpgrade();
    body.maintenancePolicy =
        update.maintenanceWindow() == null
            ? null
            : DoModel.maintenancePolicy(update.maintenanceWindow());
    DoJson.ClusterEnvelope answer =
        client.call(client.api().updateCluster(id, body), "update cluster " + name);
    return new DoCluster(
        client,
        DoClusters.require(answer.cluster(), "kubernetes_cluster", "update cluster " + name));
  }

  @Override
  public NodePool nodePool(String poolName) {
    List<String> names = new ArrayList<>();
    for (NodePool pool : nodePools) {
      if (pool.name().equals(poolName)) {
        return pool;
      }
      names.add(pool.name());
    }
    throw new IllegalArgumentException(
        "cluster "
            + name
            + " has no node pool \""
            + poolName
            + "\": it has "
            + (names.isEmpty() ? "none" : String.join(", ", names)));
  }

  @Override
  public NodePool addNodePool(NodePoolSpec spec) {
    for (NodePool pool : nodePools) {
      if (pool.name().equals(spec.name())) {
        throw new IllegalArgumentException(
            "cluster "
                + name
                + " already has a node pool named \""
                + spec.name()
                + "\": give the new pool its own name");
      }
    }
    DoJson.NodePoolEnvelope answer =
        client.call(
            client.api().addNodePool(id, DoModel.nodePoolRequest(spec)),
            "add node pool " + spec.name() + " to cluster " + name);
    return new DoNodePool(
        client, id, DoClusters.require(answer.nodePool, "node_pool", "add node pool"));
  }

  @Override
  public List<String> availableUpgrades() {
    DoJson.Upgrades json =
        client.call(client.api().upgrades(id), "list upgrades of cluster " + name);
    List<dev.devkube.ClusterOptions.Version> versions = new ArrayList<>();
    orEmpty(json.versions).forEach(v -> versions.add(DoModel.version(v)));
    versions.sort(null);
    List<String> slugs = new ArrayList<>();
    versions.forEach(v -> slugs.add(v.slug()));
    return List.copyOf(slugs);
  }

  @Override
  public Cluster upgrade(String toVersion) {
    List<String> available = availableUpgrades();
    if (!available.contains(toVersion)) {
      throw new IllegalArgumentException(
          "cluster "
              + name
              + " cannot be upgraded to \""
              + toVersion
              + "\": available are "
              + (available.isEmpty() ? "none" : String.join(", ", available)));
    }
    Upgrade body = new Upgrade();
    body.version = toVersion;
    client.callNoBody(
        client.api().upgrade(id, body), "upgrade cluster " + name + " to " + toVersion);
    return refresh();
  }

  @Override
  public AssociatedResources associatedResources() {
    return DoModel.associated(
        client.call(
            client.api().listAssociatedResources(id),
            "list the resources associated with cluster " + name));
  }

  @Override
  public void delete(DeleteOption... options) {
    EnumSet<DeleteOption> chosen = EnumSet.noneOf(DeleteOption.class);
    chosen.addAll(List.of(options));
    String action = "delete cluster " + name;
    if (chosen.isEmpty()) {
      client.callNoBody(client.api().deleteCluster(id), action);
    } else if (chosen.equals(EnumSet.allOf(DeleteOption.class))) {
      client.callNoBody(
          client.api().destroyDangerous(id), action + " with all its associated resources");
    } else {
      AssociatedResources resources = associatedResources();
      DestroySelective body = new DestroySelective();
      body.volumes =
          chosen.contains(DeleteOption.DESTROY_VOLUMES) ? ids(resources.volumes()) : List.of();
      body.volumeSnapshots =
          chosen.contains(DeleteOption.DESTROY_VOLUME_SNAPSHOTS)
              ? ids(resources.volumeSnapshots())
              : List.of();
      body.loadBalancers =
          chosen.contains(DeleteOption.DESTROY_LOAD_BALANCERS)
              ? ids(resources.loadBalancers())
              : List.of();
      client.callNoBody(client.api().destroySelective(id, body), action + " with " + chosen);
    }
  }

  private static List<String> ids(List<AssociatedResources.Resource> resources) {
    List<String> ids = new ArrayList<>();
    resources.forEach(r -> ids.add(r.id()));
    return ids;
  }

  @Override
  public void awaitDeleted(Duration timeout) {
    client
        .waiter(timeout)
        .await(
            "cluster " + name + " to be deleted",
            () -> {
              try {
                Cluster now = refresh();
                return now.status() == ClusterStatus.DELETED
                    ? Poll.done(Boolean.TRUE)
                    : Poll.<Boolean>pending(now.status().slug(), now.statusMessage(), 0, 0)
                        .notBefore(client.rateLimitDelay());
              } catch (NotFoundException gone) {
                return Poll.done(Boolean.TRUE);
              }
            },
            ProgressListener.toLog());
  }

  @Override
  public String toString() {
    return "Cluster["
        + name
        + " ("
        + id
        + "), "
        + region
        + ", "
        + version
        + ", "
        + status.slug()
        + (statusMessage == null ? "" : " (" + statusMessage + ")")
        + ", pools="
        + nodePools
        + "]";
  }
}
