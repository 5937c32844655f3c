package dev.devkube.digitalocean.internal;

import dev.devkube.ApiException;
import dev.devkube.Cluster;
import dev.devkube.ClusterOptions;
import dev.devkube.ClusterSpec;
import dev.devkube.Clusters;
import dev.devkube.Paginator;
import dev.devkube.TransportException;
import dev.devkube.digitalocean.internal.DoJson.ClusterJson;
import dev.devkube.digitalocean.internal.DoJson.ClusterList;
import dev.devkube.internal.Validation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The clusters of a DigitalOcean account. */
public final class DoClusters implements Clusters {
  private static final Logger log = LoggerFactory.getLogger(DoClusters.class);
  private static final int PAGE_SIZE = 200;

  private final DoClient client;
  private volatile @Nullable ClusterOptions options;

  public DoClusters(DoClient client) {
    this.client = client;
  }

  /** The options DigitalOcean offers, read once and kept: they change rarely. */
  public ClusterOptions options() {
    ClusterOptions known = options;
    if (known == null) {
      DoJson.OptionsEnvelope json = client.call(client.api().options(), "list Kubernetes options");
      known = DoModel.options(json.options);
      options = known;
    }
    return known;
  }

  @Override
  public Cluster create(ClusterSpec spec) {
    spec.validate(); // before any request
    ClusterSpec resolved = options().resolve(spec);
    String action = "create cluster " + spec.name();
    try {
      DoJson.ClusterEnvelope answer =
          client.call(client.api().createCluster(DoModel.createRequest(resolved)), action);
      return new DoCluster(client, require(answer.cluster(), "kubernetes_cluster", action));
    } catch (ApiException | TransportException e) {
      if (!mayHaveBeenCreated(e)) {
        throw e;
      }
      // Never create again blindly: the first request may have made the cluster.
      log.warn(
          "{} may or may not have reached DigitalOcean ({}); looking the name up",
          action,
          e.getMessage());
      Optional<Cluster> existing;
      try {
        existing = find(spec.name());
      } catch (RuntimeException lookup) {
        e.addSuppressed(lookup);
        throw e;
      }
      if (existing.isPresent()) {
        log.info(
            "adopting cluster {} ({}), which the interrupted create made",
            spec.name(),
            existing.get().id());
        return existing.get();
      }
      log.warn("no cluster named {} exists, so creating it again is safe", spec.name());
      if (e instanceof TransportException) {
        throw new TransportException(
            action
                + " made nothing: no cluster named "
                + spec.name()
                + " exists after it, so trying again is safe (what failed: "
                + e.getMessage()
                + ")",
            e);
      }
      throw e;
    }
  }

  /** Whether a failed create may still have made the cluster. */
  private static boolean mayHaveBeenCreated(RuntimeException e) {
    if (e instanceof ApiException apiException) {
      return apiException.statusCode() >= 500;
    }
    // Anything but a connection never made happened after the request may have been sent: a cut
    // connection, a timeout, or an answer that could not be read.
    return !(e.getCause() instanceof IOException cause && RetryInterceptor.neverSent(cause));
  }

  @Override
  public Cluster createOrGet(ClusterSpec spec) {
    spec.validate();
    Optional<Cluster> existing = find(spec.name());
    if (existing.isEmpty()) {
      return create(spec);
    }
    Cluster cluster = existing.get();
    if (!cluster.region().equals(spec.region())) {
      throw new IllegalStateException(
          "cluster "
              + spec.name()
              + " already exists in region "
              + cluster.region()
              + ", not "
              + spec.region()
              + ": use region(\""
              + cluster.region()
              + "\"), another name, or delete the existing cluster");
    }
    if (!spec.isLatestVersion() && !cluster.version().equals(spec.version())) {
      throw new IllegalStateException(
          "cluster "
              + spec.name()
              + " already exists with version "
              + cluster.version()
              + ", not "
              + spec.version()
              + ": use version(\""
              + cluster.version()
              + "\"), upgrade it, or delete it");
    }
    log.info(
        "cluster {} exists ({}, {}): adopting it",
        cluster.name(),
        cluster.id(),
        cluster.status().slug());
    return cluster;
  }

  @Override
  public Cluster get(String id) {
    Validation.requireNonBlank("cluster id", id);
    return fetch(client, id);
  }

  static Cluster fetch(DoClient client, String id) {
    String action = "get cluster " + id;
    DoJson.ClusterEnvelope answer = client.call(client.api().getCluster(id), action);
    return new DoCluster(client, require(answer.cluster(), "kubernetes_cluster", action));
  }

  @Override
  public Optional<Cluster> find(String name) {
    Validation.requireNonBlank("cluster name", name);
    return list().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  @Override
  public Paginator<Cluster> list() {
    return Paginator.of(
        next -> {
          ClusterList page =
              next == null
                  ? client.call(client.api().listClusters(PAGE_SIZE), "list clusters")
                  : client.call(
                      client.api().listClustersAt(checkedNext(next)),
                      "list clusters (" + next + ")");
          List<Cluster> clusters = new ArrayList<>();
          for (ClusterJson json : DoModel.orEmpty(page.clusters)) {
            clusters.add(new DoCluster(client, json));
          }
          String link =
              page.links == null || page.links.pages == null ? null : page.links.pages.next;
          return new Paginator.Page<>(clusters, link == null || link.isBlank() ? null : link);
        });
  }

  private String checkedNext(String next) {
    return checkedNext(client, next);
  }

  /** A next-page link, refused unless it points at the API's own host. */
  static String checkedNext(DoClient client, String next) {
    HttpUrl url = HttpUrl.parse(next);
    HttpUrl base = client.base();
    if (url == null
        || !url.host().equals(base.host())
        || url.port() != base.port()
        || !url.scheme().equals(base.scheme())) {
      throw new TransportException(
          "DigitalOcean's next-page link "
              + next
              + " does not point at "
              + base.scheme()
              + "://"
              + base.host()
              + ":"
              + base.port()
              + ": not following it",
          null);
    }
    return next;
  }

  static <T> T require(@Nullable T value, String field, String action) {
    if (value == null) {
      throw new TransportException("DigitalOcean's answer to " + action + " has no " + field, null);
    }
    return value;
  }
}
