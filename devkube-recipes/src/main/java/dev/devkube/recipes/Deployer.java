package dev.devkube.recipes;

import dev.devkube.DevkubeException;
import dev.devkube.ProgressListener;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * One deploy of a {@link DevEnvironment.Builder}: what is independent goes first and in parallel,
 * what needs the share's address waits for it, and every wait is bounded.
 */
final class Deployer {
  private final DevEnvironment.Builder spec;
  private final KubeClient kube;
  private final RecipeContext context;
  private final Rollout rollout;
  private final List<CompletableFuture<KubeObject>> waits = new ArrayList<>();
  private final ExecutorService pool;

  Deployer(DevEnvironment.Builder spec, RecipeContext context, ProgressListener listener) {
    this.spec = spec;
    this.kube = spec.kube;
    this.context = context;
    this.rollout = new Rollout(kube, context, spec.timeout, listener);
    this.pool =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread thread = new Thread(r, "devkube-deploy-" + context.environment());
              thread.setDaemon(true);
              return thread;
            });
  }

  DevEnvironment run() {
    try {
      return deploy();
    } finally {
      pool.shutdownNow();
    }
  }

  /** What the preflight found: everything the writes need, read before the first of them. */
  private record Plan(
      List<KubeObject> nfs,
      Map<DataStore, List<KubeObject>> stores,
      boolean namespaceExists,
      @Nullable String policyKind,
      List<String> nodeAddresses,
      int sshPort,
      int webPort,
      int idePort) {}

  private final List<String> warnings = new ArrayList<>();

  private DevEnvironment deploy() {
    Plan plan = preflight();
    stores(plan);
    NfsShare share = share(plan);
    SshHostKeys hostKeys = frontEnds(plan, share);
    awaitAll();
    return access(plan, share, hostKeys);
  }

  /**
   * Every check that can refuse the deploy, with reads only, so that a refused deploy leaves
   * nothing behind: image references, the namespace, storage classes, the credentials already
   * stored (and the data they belong to), node ports, the nodes and the CNI's policy kind. A read
   * the user has no right to (a namespace-scoped Role) is skipped with a warning.
   */
  private Plan preflight() {
    for (KubeObject object : spec.objects(new NfsShare("0.0.0.0", "/"))) {
      Images.requireWellFormed(object);
    }
    boolean namespaceExists = rollout.namespaceExists(warnings);
    List<KubeObject> nfsPlanned = spec.nfs.objects(context);
    rollout.requireStorageClass(
        nfsPlanned.get(0), "NfsServer.create().storageClass(...)", warnings);
    Map<DataStore, List<KubeObject>> stores = new LinkedHashMap<>();
    for (DataStore store : new DataStore[] {spec.postgres, spec.redis}) {
      if (store != null) {
        stores.put(store, store.server(context));
        rollout.requireStorageClass(stores.get(store).get(0), store.storageClassSetter(), warnings);
        KubeObject secret = store.secret(context, "unused");
        KubeObject stored = rollout.stored(secret);
        if (stored != null) {
          store.checkStored(context, stored);
          rollout.requireSamePassword(stored, store.givenPassword());
        }
      }
    }
    IdeServer ideServer = spec.ide;
    if (ideServer != null) {
      KubeObject stored = rollout.stored(ideServer.secret(context, "unused"));
      if (stored != null) {
        rollout.requireSamePassword(stored, ideServer.givenPassword());
      }
    }

    Exposure exposure = spec.exposure;
    boolean ideOnNodePort = ideServer != null && ideServer.onNodePort(exposure);
    Map<Integer, String> taken =
        rollout.takenNodePorts(warnings, SshServer.SERVICE, WebServer.SERVICE, IdeServer.SERVICE);
    int sshPort =
        Rollout.nodePort(spec.ssh.nodePort(), SshServer.SERVICE, spec.autoNodePorts, taken);
    taken.put(sshPort, "Service " + SshServer.SERVICE + " of this environment");
    int webPort = 0;
    if (exposure == Exposure.NODE_PORT) {
      // The web server steps aside if it asked for the port ssh has; otherwise as for ssh.
      webPort =
          Rollout.nodePort(
              spec.web.nodePort(),
              WebServer.SERVICE,
              spec.autoNodePorts || spec.web.nodePort() == sshPort,
              taken);
      taken.put(webPort, "Service " + WebServer.SERVICE + " of this environment");
    }
    int idePort = 0;
    if (ideServer != null && ideOnNodePort) {
      // As the web server: it steps aside if it asked for a port this environment already uses.
      idePort =
          Rollout.nodePort(
              ideServer.nodePort(),
              IdeServer.SERVICE,
              spec.autoNodePorts
                  || ideServer.nodePort() == sshPort
                  || ideServer.nodePort() == webPort,
              taken);
    }
    String policyKind = null;
    List<String> nodeAddresses = List.of();
    if (spec.nfs.restrictsAccess()) {
      if (rollout.servesCilium()) {
        policyKind = "CiliumNetworkPolicy";
      } else {
        policyKind = "NetworkPolicy";
        nodeAddresses = rollout.nodeAddresses(warnings);
        if (nodeAddresses.isEmpty()) {
          warnings.add(
              "the NFS access policy lets no node in (their addresses could not be read): pods"
                  + " on a node other than the NFS server's may not mount the share; give the"
                  + " user the right to list nodes, or NfsServer.create().restrictAccess(false)");
        }
      }
    }
    requirePermissions(namespaceExists, policyKind);
    if (exposure == Exposure.NODE_PORT) {
      warnings.add(
          "the web server (the share's files) and the IDE's login are on node ports of every"
              + " node, over plain HTTP: anyone who reaches the nodes can read the share and try"
              + " the IDE's password; forwardOnly() or sshOnly() keep them off the nodes");
    }
    return new Plan(
        nfsPlanned, stores, namespaceExists, policyKind, nodeAddresses, sshPort, webPort, idePort);
  }

  /**
   * Refuses the deploy before its first write when the user may not make every kind it applies
   * (docs/recipes.md gives the Role that grants them), naming each missing right.
   */
  private void requirePermissions(boolean namespaceExists, @Nullable String policyKind) {
    List<String[]> needed = new ArrayList<>();
    for (String[] resource :
        new String[][] {
          {"apps", "deployments"},
          {"", "services"},
          {"", "secrets"},
          {"", "configmaps"},
          {"", "persistentvolumeclaims"}
        }) {
      needed.add(new String[] {"create", resource[0], resource[1]});
      needed.add(new String[] {"patch", resource[0], resource[1]});
    }
    if ("CiliumNetworkPolicy".equals(policyKind)) {
      needed.add(new String[] {"create", "cilium.io", "ciliumnetworkpolicies"});
      needed.add(new String[] {"patch", "cilium.io", "ciliumnetworkpolicies"});
    } else if ("NetworkPolicy".equals(policyKind)) {
      needed.add(new String[] {"create", "networking.k8s.io", "networkpolicies"});
      needed.add(new String[] {"patch", "networking.k8s.io", "networkpolicies"});
    }
    List<CompletableFuture<String>> checks = new ArrayList<>();
    for (String[] need : needed) {
      checks.add(
          CompletableFuture.supplyAsync(
              () ->
                  rollout.allowed(need[0], need[1], need[2], true)
                      ? ""
                      : need[0] + " " + (need[1].isEmpty() ? need[2] : need[2] + "." + need[1]),
              pool));
    }
    if (!namespaceExists) {
      checks.add(
          CompletableFuture.supplyAsync(
              () -> rollout.allowed("create", "", "namespaces", false) ? "" : "create namespaces",
              pool));
    }
    List<String> missing = new ArrayList<>();
    for (CompletableFuture<String> check : checks) {
      String denied = join(check);
      if (!denied.isEmpty()) {
        missing.add(denied);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "the user may not "
              + String.join(", ", missing)
              + " in namespace "
              + context.namespace()
              + ", which the deploy needs: nothing was changed; ask for the Role in"
              + " docs/recipes.md (Least privilege)"
              + ("CiliumNetworkPolicy".equals(policyKind)
                  ? ", or deploy with NfsServer.create().restrictAccess(false)"
                  : ""));
    }
  }

  /** The database and the cache need nothing from the rest: they start first, are waited last. */
  private void stores(Plan plan) {
    if (!plan.namespaceExists()) {
      kube.resource(
              KubeObject.of("v1", "Namespace", context.namespace())
                  .set("metadata.labels", context.labels("namespace")))
          .apply();
    }
    plan.stores()
        .forEach(
            (store, server) -> {
              rollout.ensureSecret(
                  store.secret(context, Passwords.orGenerated(store.givenPassword())),
                  store.givenPassword());
              awaitLater(deploymentOf(rollout.apply(server)));
            });
  }

  /** The share: its claim, server, Service and access policy; waits until it serves. */
  private NfsShare share(Plan plan) {
    List<KubeObject> nfsObjects = rollout.apply(plan.nfs());
    if ("CiliumNetworkPolicy".equals(plan.policyKind())) {
      rollout.apply(List.of(spec.nfs.ciliumAccessPolicy(context)));
    } else if ("NetworkPolicy".equals(plan.policyKind())) {
      rollout.apply(List.of(spec.nfs.accessPolicy(context, plan.nodeAddresses())));
    }
    KubeObject claim = nfsObjects.get(0);
    KubeObject server = deploymentOf(nfsObjects);
    awaitFirst(
        CompletableFuture.supplyAsync(
            () -> {
              rollout.awaitBound(claim);
              return rollout.awaitAvailable(server);
            },
            pool));
    KubeObject service = nfsObjects.get(nfsObjects.size() - 1);
    if (service.getString("spec.clusterIP") == null
        || service.getString("spec.clusterIP").isEmpty()) {
      service = kube.resource(service).waitUntil(Conditions.serviceHasClusterIP(), spec.timeout);
    }
    NfsShare share = new NfsShare(String.valueOf(service.getString("spec.clusterIP")), "/");
    rollout.report("NFS share", "serving at " + share.server());
    return share;
  }

  /** sshd, nginx, the IDE and the toolbox, with the share's address; returns sshd's host key. */
  private @Nullable SshHostKeys frontEnds(Plan plan, NfsShare share) {
    Exposure exposure = spec.exposure;
    SshServer ssh =
        spec.ssh
            .nodePort(plan.sshPort())
            .tcpForwarding(spec.ssh.tcpForwarding() || spec.needsForwarding());
    String hostKey = null;
    if (!context.profile().isClassic()) {
      rollout.ensureSecret(SshServer.hostKeySecret(context), null);
      hostKey = rollout.storedValue(SshServer.HOST_KEYS, SshServer.HOST_KEY_FILE + ".pub");
    }
    awaitLater(deploymentOf(rollout.apply(ssh.server(context, share, spec.keys))));
    WebServer web = exposure == Exposure.NODE_PORT ? spec.web.nodePort(plan.webPort()) : spec.web;
    awaitLater(deploymentOf(rollout.apply(web.objects(context, share, exposure))));
    IdeServer ideServer = spec.ide;
    if (ideServer != null) {
      String password = Passwords.orGenerated(ideServer.givenPassword());
      if (rollout.ensureSecret(ideServer.secret(context, password), ideServer.givenPassword())) {
        idePassword = password;
      }
      IdeServer placed =
          ideServer.onNodePort(exposure) ? ideServer.nodePort(plan.idePort()) : ideServer;
      awaitLater(deploymentOf(rollout.apply(placed.server(context, share, exposure))));
    }
    if (spec.toolbox != null) {
      awaitLater(deploymentOf(rollout.apply(spec.toolbox.objects(context, share))));
    }
    return hostKey == null ? null : hostKeys(hostKey, plan);
  }

  private @Nullable String idePassword;

  private SshHostKeys hostKeys(String hostKey, Plan plan) {
    List<String> ips = accessIps();
    return new SshHostKeys(
        hostKey.strip(),
        HostKeys.fingerprint(hostKey),
        HostKeys.knownHosts(
            hostKey,
            ips,
            plan.sshPort(),
            spec.toolbox == null
                ? List.of()
                : List.of(Manifests.serviceHost(context, Toolbox.SERVICE))));
  }

  private @Nullable List<String> accessIps;

  private List<String> accessIps() {
    if (accessIps == null) {
      accessIps = Rollout.accessIps(kube, warnings);
    }
    return accessIps;
  }

  /** Where each part is reached. */
  private DevEnvironment access(Plan plan, NfsShare share, @Nullable SshHostKeys hostKeys) {
    Exposure exposure = spec.exposure;
    IdeServer ideServer = spec.ide;
    boolean ideOnNodePort = ideServer != null && ideServer.onNodePort(exposure);
    int sshPort = plan.sshPort();
    int webPort = plan.webPort();
    int idePort = plan.idePort();
    DataService postgres = spec.postgres == null ? null : spec.postgres.access(context);
    DataService redis = spec.redis == null ? null : spec.redis.access(context);
    List<String> ips = accessIps();
    String ip = DevEnvironment.firstIp(ips);
    String sshUser = context.profile().sshUser();
    List<String> forwards = new ArrayList<>();
    if (exposure == Exposure.SSH_TUNNEL) {
      forwards.add(
          "-L "
              + DevEnvironment.TUNNEL_WEB_PORT
              + ":"
              + Manifests.serviceHost(context, WebServer.SERVICE)
              + ":80");
    }
    IdeAccess ide = null;
    if (ideServer != null) {
      String url;
      if (ideOnNodePort) {
        url = "http://" + ip + ":" + idePort;
      } else if (exposure == Exposure.FORWARD) {
        url = "http://127.0.0.1:" + DevEnvironment.TUNNEL_IDE_PORT;
      } else {
        forwards.add(
            "-L "
                + DevEnvironment.TUNNEL_IDE_PORT
                + ":"
                + Manifests.serviceHost(context, IdeServer.SERVICE)
                + ":"
                + ideServer.containerPort());
        url = "http://localhost:" + DevEnvironment.TUNNEL_IDE_PORT;
      }
      ide =
          new IdeAccess(
              url,
              context.namespace(),
              ideServer.authenticated() ? IdeServer.SECRET : null,
              idePassword);
    }
    String tunnel =
        forwards.isEmpty()
            ? null
            : "ssh -p " + sshPort + " -N " + String.join(" ", forwards) + " " + sshUser + "@" + ip;
    ToolboxAccess toolbox =
        spec.toolbox == null
            ? null
            : new ToolboxAccess(
                "ssh -J "
                    + sshUser
                    + "@"
                    + ip
                    + ":"
                    + sshPort
                    + " "
                    + Profile.DEFAULT.sshUser()
                    + "@"
                    + Manifests.serviceHost(context, Toolbox.SERVICE),
                "kubectl -n "
                    + context.namespace()
                    + " exec -it deploy/"
                    + Toolbox.DEPLOYMENT
                    + " -- sh");
    DevEnvironment environment =
        new DevEnvironment(
            kube, context, share, ips, sshPort, webPort, exposure, ide, toolbox, postgres, redis,
            tunnel, hostKeys, warnings);
    rollout.report(
        "environment " + context.environment(),
        "ready: " + environment.sshCommand() + ", " + environment.webUrl());
    return environment;
  }

  private static KubeObject deploymentOf(List<KubeObject> objects) {
    return objects.stream()
        .filter(o -> "Deployment".equals(o.kind()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no Deployment among " + objects));
  }

  private void awaitLater(KubeObject deployment) {
    waits.add(CompletableFuture.supplyAsync(() -> rollout.awaitAvailable(deployment), pool));
  }

  /**
   * Waits for {@code target}, failing at once when any wait started before it fails (a part that
   * cannot start is reported now, not after the others' waits end).
   */
  private <T> T awaitFirst(CompletableFuture<T> target) {
    List<CompletableFuture<?>> watched = new ArrayList<>(waits);
    watched.add(target);
    while (!target.isDone()) {
      join(CompletableFuture.anyOf(watched.toArray(new CompletableFuture<?>[0])));
      watched.removeIf(f -> f.isDone() && f != target);
    }
    return join(target);
  }

  /** Waits for every part; the first to fail ends the deploy, and the others' waits with it. */
  private void awaitAll() {
    List<CompletableFuture<?>> pending = new ArrayList<>(waits);
    while (!pending.isEmpty()) {
      join(CompletableFuture.anyOf(pending.toArray(new CompletableFuture<?>[0])));
      pending.removeIf(CompletableFuture::isDone);
    }
  }

  private <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException
          ? (RuntimeException) e.getCause()
          : new DevkubeException(
              "deploying " + context.environment() + " failed: " + e.getCause(), e.getCause());
    }
  }
}
