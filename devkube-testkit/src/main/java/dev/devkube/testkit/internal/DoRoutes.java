package dev.devkube.testkit.internal;

import com.sun.net.httpserver.HttpExchange;
import dev.devkube.testkit.FakeKubernetes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The endpoints of DigitalOcean's Kubernetes API that the fake serves, per the OpenAPI files:
 * options, clusters (list with pagination, create, get, update, delete), destroy with associated
 * resources, credentials, kubeconfig, upgrades and node pools.
 */
public final class DoRoutes implements DoHttp.Routes {
  private static final Pattern CLUSTER = Pattern.compile("/v2/kubernetes/clusters/([^/]+)(/.*)?");

  private static final Map<String, @Nullable Object> ACCOUNT =
      Doc.obj(
          "droplet_limit",
          25L,
          "floating_ip_limit",
          5L,
          "email",
          "sammy@example.com",
          "name",
          "Sammy the Shark",
          "uuid",
          "b6fr89dbf6d9156cace5f3c78dc9851d957381ef",
          "email_verified",
          true,
          "status",
          "active",
          "status_message",
          " ");

  private final DoAccount account;
  private final DoSettings settings;
  private final URI base;

  public DoRoutes(DoAccount account, URI base) {
    this.account = account;
    this.settings = account.settings();
    this.base = base;
  }

  @Override
  public void handle(HttpExchange exchange, String method, String path, String body)
      throws IOException {
    if (path.equals("/v2/kubernetes/options") && method.equals("GET")) {
      options(exchange);
      return;
    }
    if (path.equals("/v2/account") && method.equals("GET")) {
      // Many tools check a token with this call.
      Http.json(exchange, 200, Doc.obj("account", ACCOUNT));
      return;
    }
    if (path.startsWith("/v2/volumes")
        || path.startsWith("/v2/snapshots/")
        || path.startsWith("/v2/nfs")) {
      storage(exchange, method, path, body);
      return;
    }
    if (!path.startsWith("/v2/kubernetes/")) {
      throw new DoError(
          501,
          "not_implemented",
          "FakeDigitalOcean does not serve "
              + method
              + " "
              + path
              + ": it fakes /v2/kubernetes, /v2/volumes, /v2/snapshots, /v2/nfs and GET"
              + " /v2/account");
    }
    if (path.equals("/v2/kubernetes/clusters")) {
      if (method.equals("GET")) {
        list(exchange);
      } else if (method.equals("POST")) {
        Map<String, @Nullable Object> created = account.create(DoHttp.parse(body));
        Http.json(exchange, 201, Doc.obj("kubernetes_cluster", created));
      } else {
        throw new DoError(405, "method_not_allowed", "Method Not Allowed");
      }
      return;
    }
    Matcher matcher = CLUSTER.matcher(path);
    if (!matcher.matches()) {
      throw DoError.notFound();
    }
    String rest = matcher.group(2) == null ? "" : matcher.group(2);
    cluster(exchange, account.cluster(matcher.group(1)), method, rest, body);
  }

  private void options(HttpExchange exchange) throws IOException {
    List<Object> versions = new ArrayList<>();
    settings
        .versions()
        .forEach(
            v ->
                versions.add(
                    Doc.obj(
                        "slug",
                        v,
                        "kubernetes_version",
                        v.split("-", -1)[0],
                        "supported_features",
                        List.of("cluster-autoscaler", "ha-control-plane"))));
    List<Object> regions = new ArrayList<>();
    settings
        .regions()
        .forEach(r -> regions.add(Doc.obj("name", r.toUpperCase(Locale.ROOT), "slug", r)));
    List<Object> sizes = new ArrayList<>();
    settings.sizes().forEach(s -> sizes.add(Doc.obj("name", s, "slug", s)));
    Http.json(
        exchange,
        200,
        Doc.obj("options", Doc.obj("regions", regions, "versions", versions, "sizes", sizes)));
  }

  private void list(HttpExchange exchange) throws IOException {
    Map<String, String> query = Http.query(exchange);
    int perPage =
        Math.max(1, Math.min(200, Integer.parseInt(query.getOrDefault("per_page", "20"))));
    int page = Math.max(1, Integer.parseInt(query.getOrDefault("page", "1")));
    List<Object> all = account.clusterJsons();
    int from = Math.min(all.size(), (page - 1) * perPage);
    int to = Math.min(all.size(), from + perPage);
    int last = Math.max(1, (all.size() + perPage - 1) / perPage);
    Map<String, @Nullable Object> pages = Doc.obj();
    if (page > 1) {
      pages.put("first", base + "v2/kubernetes/clusters?page=1&per_page=" + perPage);
      pages.put(
          "prev", base + "v2/kubernetes/clusters?page=" + (page - 1) + "&per_page=" + perPage);
    }
    if (page < last) {
      pages.put(
          "next", base + "v2/kubernetes/clusters?page=" + (page + 1) + "&per_page=" + perPage);
      pages.put("last", base + "v2/kubernetes/clusters?page=" + last + "&per_page=" + perPage);
    }
    Http.json(
        exchange,
        200,
        Doc.obj(
            "kubernetes_clusters",
            all.subList(from, to),
            "links",
            pages.isEmpty() ? Doc.obj() : Doc.obj("pages", pages),
            "meta",
            Doc.obj("total", (long) all.size())));
  }

  /** The verbs on one cluster. */
  private void cluster(
      HttpExchange exchange, DoCluster cluster, String method, String rest, String body)
      throws IOException {
    String call = method + " " + rest;
    if (call.equals("GET ")) {
      Http.json(exchange, 200, Doc.obj("kubernetes_cluster", account.clusterJson(cluster)));
    } else if (call.equals("PUT ")) {
      account.update(cluster, DoHttp.parse(body));
      Http.json(exchange, 202, Doc.obj("kubernetes_cluster", account.clusterJson(cluster)));
    } else if (call.equals("DELETE ")) {
      account.delete(cluster, List.of());
      Http.empty(exchange, 204);
    } else if (call.equals("GET /destroy_with_associated_resources")) {
      List<Object> found = new ArrayList<>();
      account
          .volumesOf(cluster.id)
          .forEach((id, name) -> found.add(Doc.obj("id", id, "name", name)));
      Http.json(
          exchange,
          200,
          Doc.obj("load_balancers", List.of(), "volumes", found, "volume_snapshots", List.of()));
    } else if (call.equals("DELETE /destroy_with_associated_resources/selective")) {
      List<String> ids = new ArrayList<>();
      Doc.list(DoHttp.parse(body), "volumes").forEach(v -> ids.add(String.valueOf(v)));
      account.delete(cluster, ids);
      Http.empty(exchange, 204);
    } else if (call.equals("DELETE /destroy_with_associated_resources/dangerous")) {
      account.delete(cluster, new ArrayList<>(account.volumesOf(cluster.id).keySet()));
      Http.empty(exchange, 204);
    } else if (call.equals("GET /credentials") || call.equals("GET /kubeconfig")) {
      credentials(exchange, cluster, call.equals("GET /kubeconfig"));
    } else if (call.equals("GET /upgrades")) {
      List<Object> newer = new ArrayList<>();
      for (String version : account.upgrades(cluster)) {
        newer.add(Doc.obj("slug", version, "kubernetes_version", version.split("-", -1)[0]));
      }
      Http.json(
          exchange, 200, Doc.obj("available_upgrade_versions", newer.isEmpty() ? null : newer));
    } else if (call.equals("POST /upgrade")) {
      account.upgrade(cluster, Doc.string(DoHttp.parse(body), "version"));
      Http.empty(exchange, 202);
    } else if (call.equals("GET /node_pools")) {
      Http.json(
          exchange,
          200,
          Doc.obj("node_pools", Doc.get(account.clusterJson(cluster), "node_pools")));
    } else if (call.equals("POST /node_pools")) {
      Map<String, @Nullable Object> request = DoHttp.parse(body);
      account.validatePool(request, true);
      Map<String, @Nullable Object> pool = DoAccount.pool(request, cluster.id);
      account.addPool(cluster, pool);
      Http.json(exchange, 201, Doc.obj("node_pool", poolJson(cluster, pool)));
    } else if (rest.startsWith("/node_pools/")) {
      nodePool(exchange, cluster, method, rest.substring("/node_pools/".length()), body);
    } else {
      throw DoError.notFound();
    }
  }

  private void credentials(HttpExchange exchange, DoCluster cluster, boolean kubeconfig)
      throws IOException {
    account.clusterJson(cluster);
    FakeKubernetes fake = account.kubernetes(cluster.id);
    if (fake == null) {
      throw new DoError(
          404, "not_found", "The cluster is still provisioning: its credentials are not ready");
    }
    if (kubeconfig) {
      Http.send(exchange, 200, "application/yaml", fake.kubeconfig());
      return;
    }
    Http.json(
        exchange,
        200,
        Doc.obj(
            "server",
            fake.url().toString(),
            "certificate_authority_data",
            base64(fake.credentials().caCertificate()),
            "client_certificate_data",
            null,
            "client_key_data",
            null,
            "token",
            fake.credentials().token(),
            "expires_at",
            settings.clock().instant().plus(expiry(exchange)).toString()));
  }

  private void nodePool(
      HttpExchange exchange, DoCluster cluster, String method, String rest, String body)
      throws IOException {
    int slash = rest.indexOf('/');
    String poolId = slash < 0 ? rest : rest.substring(0, slash);
    if (slash >= 0) {
      String nodes = rest.substring(slash);
      if (!nodes.startsWith("/nodes/") || !method.equals("DELETE")) {
        throw DoError.notFound();
      }
      Map<String, String> query = Http.query(exchange);
      account.deleteNode(
          cluster,
          poolId,
          nodes.substring("/nodes/".length()),
          "1".equals(query.getOrDefault("replace", "0")));
      Http.empty(exchange, 202);
    } else if (method.equals("DELETE")) {
      account.removePool(cluster, poolId);
      Http.empty(exchange, 204);
    } else if (method.equals("PUT")) {
      Map<String, @Nullable Object> pool = account.updatePool(cluster, poolId, DoHttp.parse(body));
      Http.json(exchange, 202, Doc.obj("node_pool", poolJson(cluster, pool)));
    } else if (method.equals("GET")) {
      Http.json(
          exchange, 200, Doc.obj("node_pool", poolJson(cluster, account.pool(cluster, poolId))));
    } else {
      throw new DoError(405, "method_not_allowed", "Method Not Allowed");
    }
  }

  /** The pool as a cluster read shows it: with its nodes. */
  private Object poolJson(DoCluster cluster, Map<String, @Nullable Object> pool) {
    Object id = pool.get("id");
    for (Object shown : Doc.list(account.clusterJson(cluster), "node_pools")) {
      if (id != null && id.equals(Doc.get(shown, "id"))) {
        return shown;
      }
    }
    return pool;
  }

  /** How long credentials are to last: {@code expiry_seconds}, or 7 days when absent or 0. */
  private static Duration expiry(HttpExchange exchange) {
    String asked = Http.query(exchange).get("expiry_seconds");
    if (asked == null || asked.isEmpty()) {
      return Duration.ofDays(7);
    }
    long seconds;
    try {
      seconds = Long.parseLong(asked);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 0) {
      throw new DoError(400, "bad_request", "expiry_seconds must be a whole number, 0 or more");
    }
    return seconds == 0 ? Duration.ofDays(7) : Duration.ofSeconds(seconds);
  }

  private static String base64(@Nullable String text) {
    return text == null
        ? ""
        : Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final Pattern VOLUME = Pattern.compile("/v2/volumes/([^/]+)(/snapshots)?");
  private static final Pattern SHARE = Pattern.compile("/v2/nfs/([^/]+)(/actions)?");

  /** Volumes, their snapshots and NFS shares, per the OpenAPI files. */
  private void storage(HttpExchange exchange, String method, String path, String body)
      throws IOException {
    DoStorage storage = account.storage();
    Map<String, String> query = Http.query(exchange);
    if (path.equals("/v2/volumes") && method.equals("GET")) {
      List<Map<String, @Nullable Object>> volumes =
          storage.listVolumes(query.get("name"), query.get("region"));
      Http.json(
          exchange,
          200,
          Doc.obj(
              "volumes",
              volumes,
              "links",
              Doc.obj(),
              "meta",
              Doc.obj("total", (long) volumes.size())));
      return;
    }
    Matcher volume = VOLUME.matcher(path);
    if (volume.matches()) {
      String id = volume.group(1);
      boolean snapshots = volume.group(2) != null;
      if (!snapshots && method.equals("GET")) {
        Http.json(exchange, 200, Doc.obj("volume", storage.volume(id)));
      } else if (!snapshots && method.equals("DELETE")) {
        storage.deleteVolume(id);
        Http.empty(exchange, 204);
      } else if (snapshots && method.equals("POST")) {
        Http.json(
            exchange,
            201,
            Doc.obj("snapshot", storage.snapshot(id, Doc.string(DoHttp.parse(body), "name"))));
      } else if (snapshots && method.equals("GET")) {
        List<Map<String, @Nullable Object>> found = storage.snapshotsOf(id);
        Http.json(
            exchange,
            200,
            Doc.obj(
                "snapshots",
                found,
                "links",
                Doc.obj(),
                "meta",
                Doc.obj("total", (long) found.size())));
      } else {
        throw new DoError(405, "method_not_allowed", method + " " + path + " is not served");
      }
      return;
    }
    if (path.startsWith("/v2/snapshots/") && method.equals("DELETE")) {
      storage.deleteSnapshot(path.substring("/v2/snapshots/".length()));
      Http.empty(exchange, 204);
      return;
    }
    if (path.equals("/v2/nfs")) {
      if (method.equals("POST")) {
        Http.json(exchange, 201, Doc.obj("share", storage.createShare(DoHttp.parse(body))));
      } else if (method.equals("GET")) {
        Http.json(exchange, 200, Doc.obj("shares", storage.listShares(query.get("region"))));
      } else {
        throw new DoError(405, "method_not_allowed", method + " " + path + " is not served");
      }
      return;
    }
    Matcher share = SHARE.matcher(path);
    if (share.matches()) {
      String id = share.group(1);
      if (share.group(2) != null && method.equals("POST")) {
        Map<String, @Nullable Object> action = DoHttp.parse(body);
        storage.shareAction(id, action);
        String type = String.valueOf(Doc.string(action, "type")).toUpperCase(Locale.ROOT);
        Http.json(
            exchange,
            201,
            Doc.obj(
                "action",
                Doc.obj(
                    "id",
                    java.util.UUID.randomUUID().toString(),
                    "region_slug",
                    Doc.string(storage.share(id, null), "region"),
                    "resource_id",
                    id,
                    "resource_type",
                    "SHARE",
                    "started_at",
                    settings.clock().instant().toString(),
                    "status",
                    "COMPLETED",
                    "type",
                    type + "_SHARE")));
      } else if (share.group(2) == null && method.equals("GET")) {
        Http.json(exchange, 200, Doc.obj("share", storage.share(id, query.get("region"))));
      } else if (share.group(2) == null && method.equals("DELETE")) {
        storage.deleteShare(id, query.get("region"));
        Http.empty(exchange, 204);
      } else {
        throw new DoError(405, "method_not_allowed", method + " " + path + " is not served");
      }
      return;
    }
    throw DoError.notFound();
  }
}
