package dev.devkube.digitalocean.internal;

import com.squareup.moshi.Json;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON bodies of DigitalOcean's Kubernetes endpoints, field for field as the OpenAPI files name
 * them. Every field may be missing or null (the live API and its examples both leave fields out),
 * unknown fields are ignored, and enums are kept as strings so that a new value never breaks
 * parsing.
 */
final class DoJson {
  private DoJson() {}

  static final class ClusterEnvelope {
    @Json(name = "kubernetes_cluster")
    @Nullable ClusterJson cluster;

    /** The spec's multi-pool create example puts the cluster under the plural name. */
    @Json(name = "kubernetes_clusters")
    @Nullable ClusterJson misnamed;

    @Nullable ClusterJson cluster() {
      return cluster != null ? cluster : misnamed;
    }
  }

  static final class ClusterList {
    @Json(name = "kubernetes_clusters")
    @Nullable List<ClusterJson> clusters;

    @Nullable Links links;
    @Nullable Meta meta;
  }

  static final class Links {
    @Nullable Pages pages;
  }

  static final class Pages {
    @Nullable String next;
    @Nullable String last;
  }

  static final class Meta {
    @Nullable Integer total;
  }

  static final class ClusterJson {
    @Nullable String id;
    @Nullable String name;
    @Nullable String region;
    @Nullable String version;

    @Json(name = "cluster_subnet")
    @Nullable String clusterSubnet;

    @Json(name = "service_subnet")
    @Nullable String serviceSubnet;

    @Json(name = "vpc_uuid")
    @Nullable String vpcUuid;

    @Nullable String ipv4;
    @Nullable String endpoint;
    @Nullable List<String> tags;

    @Json(name = "node_pools")
    @Nullable List<NodePoolJson> nodePools;

    @Json(name = "maintenance_policy")
    @Nullable MaintenancePolicy maintenancePolicy;

    @Json(name = "auto_upgrade")
    @Nullable Boolean autoUpgrade;

    @Json(name = "surge_upgrade")
    @Nullable Boolean surgeUpgrade;

    @Nullable Boolean ha;
    @Nullable Status status;

    @Json(name = "created_at")
    @Nullable String createdAt;

    @Json(name = "updated_at")
    @Nullable String updatedAt;
  }

  static final class Status {
    @Nullable String state;
    @Nullable String message;
  }

  static final class MaintenancePolicy {
    @Json(name = "start_time")
    @Nullable String startTime;

    @Nullable String duration;
    @Nullable String day;
  }

  static final class NodePoolEnvelope {
    @Json(name = "node_pool")
    @Nullable NodePoolJson nodePool;
  }

  static final class NodePoolList {
    @Json(name = "node_pools")
    @Nullable List<NodePoolJson> nodePools;
  }

  static final class NodePoolJson {
    @Nullable String id;
    @Nullable String name;
    @Nullable String size;
    @Nullable Integer count;
    @Nullable List<String> tags;
    @Nullable Map<String, String> labels;
    @Nullable List<Taint> taints;

    @Json(name = "auto_scale")
    @Nullable Boolean autoScale;

    @Json(name = "min_nodes")
    @Nullable Integer minNodes;

    @Json(name = "max_nodes")
    @Nullable Integer maxNodes;

    @Nullable List<NodeJson> nodes;
  }

  static final class Taint {
    @Nullable String key;
    @Nullable String value;
    @Nullable String effect;
  }

  static final class NodeJson {
    @Nullable String id;
    @Nullable String name;
    @Nullable Status status;

    @Json(name = "droplet_id")
    @Nullable String dropletId;

    @Json(name = "created_at")
    @Nullable String createdAt;

    @Json(name = "updated_at")
    @Nullable String updatedAt;
  }

  static final class OptionsEnvelope {
    @Nullable Options options;
  }

  static final class Options {
    @Nullable List<Named> regions;
    @Nullable List<VersionJson> versions;
    @Nullable List<Named> sizes;
  }

  /** A region, size or associated resource: each has a name and a slug or an id. */
  static final class Named {
    @Nullable String id;
    @Nullable String name;
    @Nullable String slug;
  }

  static final class VersionJson {
    @Nullable String slug;

    @Json(name = "kubernetes_version")
    @Nullable String kubernetesVersion;

    @Json(name = "supported_features")
    @Nullable List<String> supportedFeatures;
  }

  static final class Upgrades {
    @Json(name = "available_upgrade_versions")
    @Nullable List<VersionJson> versions;
  }

  static final class CredentialsJson {
    @Nullable String server;

    @Json(name = "certificate_authority_data")
    @Nullable String certificateAuthorityData;

    @Json(name = "client_certificate_data")
    @Nullable String clientCertificateData;

    @Json(name = "client_key_data")
    @Nullable String clientKeyData;

    @Nullable String token;

    @Json(name = "expires_at")
    @Nullable String expiresAt;
  }

  static final class AssociatedJson {
    @Json(name = "load_balancers")
    @Nullable List<Named> loadBalancers;

    @Nullable List<Named> volumes;

    @Json(name = "volume_snapshots")
    @Nullable List<Named> volumeSnapshots;
  }

  static final class ErrorJson {
    @Nullable String id;
    @Nullable String message;

    @Json(name = "request_id")
    @Nullable String requestId;
  }

  // Request bodies. Null fields are left out of the JSON.

  static final class CreateCluster {
    String name = "";
    String region = "";
    String version = "";

    @Json(name = "node_pools")
    List<NodePoolJson> nodePools = List.of();

    @Nullable List<String> tags;

    @Json(name = "vpc_uuid")
    @Nullable String vpcUuid;

    @Json(name = "maintenance_policy")
    @Nullable MaintenancePolicy maintenancePolicy;

    @Json(name = "auto_upgrade")
    boolean autoUpgrade;

    @Json(name = "surge_upgrade")
    boolean surgeUpgrade;

    boolean ha;
  }

  static final class UpdateCluster {
    String name = "";
    @Nullable List<String> tags;

    @Json(name = "maintenance_policy")
    @Nullable MaintenancePolicy maintenancePolicy;

    @Json(name = "auto_upgrade")
    @Nullable Boolean autoUpgrade;

    @Json(name = "surge_upgrade")
    @Nullable Boolean surgeUpgrade;
  }

  static final class UpdateNodePool {
    String name = "";
    int count;

    @Json(name = "auto_scale")
    @Nullable Boolean autoScale;

    @Json(name = "min_nodes")
    @Nullable Integer minNodes;

    @Json(name = "max_nodes")
    @Nullable Integer maxNodes;
  }

  static final class Upgrade {
    String version = "";
  }

  static final class DestroySelective {
    @Json(name = "load_balancers")
    List<String> loadBalancers = List.of();

    List<String> volumes = List.of();

    @Json(name = "volume_snapshots")
    List<String> volumeSnapshots = List.of();
  }
}
