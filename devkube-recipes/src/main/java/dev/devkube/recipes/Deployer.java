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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * One deploy of an {@link EnvironmentSpec}, in named phases: preflight (reads only; every refusal),
 * stores, share, front ends, access. What is independent goes first and in parallel, what needs the
 * share's address waits for it, every wait is bounded, and the first part to fail ends it.
 */
final class Deployer {
  private final EnvironmentSpec spec;
  private final KubeClient kube;
  private final RecipeContext context;
  private final Rollout rollout;
  private final List<CompletableFuture<KubeObject>> waits = new ArrayList<>();
  private final ExecutorService pool;

  Deployer(KubeClient kube, EnvironmentSpec spec, ProgressListener listener) {
    this.spec = spec;
    this.kube = kube;
    this.context = spec.context();
    this.rollout = new Rollout(kube, context, spec.timeout(), listener);
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
      NfsServer.Objects nfs,
      Map<DataStore, DataStore.Objects> stores,
      boolean namespaceExists,
      Policy policy,
      List<String> nodeAddresses,
      int sshPort,
      int webPort,
      int idePort) {}

  /** Which access policy guards the share. */
  private enum Policy {
    /** A CiliumNetworkPolicy: the cluster's CNI is Cilium, whose nodes are entities. */
    CILIUM,
    /** A Kubernetes NetworkPolicy naming the nodes' addresses. */
    KUBERNETES,
    /** None: {@code NfsServer.restrictAccess(false)}. */
    NONE
  }

  private final List<String> warnings = new ArrayList<>();

  private DevEnvironment deploy() {
    Plan plan = preflight();
    stores(plan);
    NfsShare external = spec.externalShare();
    NfsShare share = external != null ? external : share(plan);
    SshHostKeys hostKeys = frontEnds(plan, share);
    awaitAll();
    keepData(plan);
    return access(plan, share, hostKeys);
  }

  /**
   * The volumes that hold the user's data (the share's and the stores') get the reclaim policy
   * Retain, so that deleting a claim, or the cluster, never deletes the data unless asked ({@code
   * teardown(false)} sets it back first). Needs the right to patch persistentvolumes
   * (cluster-wide); without it, a warning.
   */
  private void keepData(Plan plan) {
    List<KubeObject> claims = new ArrayList<>();
    if (spec.externalShare() == null && plan.nfs().volume() == null) {
      claims.add(plan.nfs().claim());
    }
    plan.stores().values().forEach(objects -> claims.add(objects.claim()));
    for (KubeObject claim : claims) {
      rollout.setReclaimPolicy(claim, "Retain", warnings);
    }
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
    NfsServer.Objects nfsPlanned = spec.nfs().objects(context);
    if (spec.externalShare() == null && spec.nfs().existingVolume() == null) {
      rollout.requireStorageClass(
          nfsPlanned.claim(), "NfsServer.create().storageClass(...)", warnings);
    }
    Map<DataStore, DataStore.Objects> stores = new LinkedHashMap<>();
    for (DataStore store : new DataStore[] {spec.postgres(), spec.redis()}) {
      if (store != null) {
        DataStore.Objects objects = store.objects(context);
        stores.put(store, objects);
        rollout.requireStorageClass(objects.claim(), store.storageClassSetter(), warnings);
        KubeObject stored = rollout.stored(objects.secret());
        if (stored != null) {
          store.checkStored(context, stored);
          rollout.requireSamePassword(stored, store.givenPassword());
        }
      }
    }
    IdeServer ideServer = spec.ide();
    if (ideServer != null) {
      KubeObject stored = rollout.stored(ideServer.secret(context, "unused"));
      if (stored != null) {
        rollout.requireSamePassword(stored, ideServer.givenPassword());
      }
    }

    Exposure exposure = spec.exposure();
    boolean ideOnNodePort = ideServer != null && ideServer.onNodePort(exposure);
    Map<Integer, String> taken =
        rollout.takenNodePorts(warnings, SshServer.SERVICE, WebServer.SERVICE, IdeServer.SERVICE);
    int sshPort =
        Rollout.nodePort(spec.ssh().nodePort(), SshServer.SERVICE, spec.autoNodePorts(), taken);
    taken.put(sshPort, "Service " + SshServer.SERVICE + " of this environment");
    int webPort = 0;
    if (exposure == Exposure.NODE_PORT) {
      // The web server steps aside if it asked for the port ssh has; otherwise as for ssh.
      webPort =
          Rollout.nodePort(
              spec.web().nodePort(),
              WebServer.SERVICE,
              spec.autoNodePorts() || spec.web().nodePort() == sshPort,
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
              spec.autoNodePorts()
                  || ideServer.nodePort() == sshPort
                  || ideServer.nodePort() == webPort,
              taken);
    }
    Policy policy = Policy.NONE;
    List<String> nodeAddresses = List.of();
    if (spec.externalShare() == null && spec.nfs().restrictsAccess()) {
      if (rollout.servesCilium()) {
        policy = Policy.CILIUM;
      } else {
        policy = Policy.KUBERNETES;
        nodeAddresses = rollout.nodeAddresses(warnings);
        if (nodeAddresses.isEmpty()) {
          warnings.add(
              "the NFS access policy lets no node in (their addresses could not be read): pods"
                  + " on a node other than the NFS server's may not mount the share; give the"
                  + " user the right to list nodes, or NfsServer.create().restrictAccess(false)");
        }
      }
    }
    requirePermissions(namespaceExists, policy, nfsPlanned.volume() != null);
    if (exposure == Exposure.NODE_PORT) {
      warnings.add(
          "the web server (the share's files) and the IDE's login are on node ports of every"
              + " node, over plain HTTP: anyone who reaches the nodes can read the share and try"
              + " the IDE's password; forwardOnly() or sshOnly() keep them off the nodes");
    }
    return new Plan(
        nfsPlanned, stores, namespaceExists, policy, nodeAddresses, sshPort, webPort, idePort);
  }

  /**
   * Refuses the deploy before its first write when the user may not make every kind it applies
   * (docs/recipes.md gives the Role that grants them), naming each missing right.
   */
  private void requirePermissions(boolean namespaceExists, Policy policy, boolean volume) {
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
    if (policy == Policy.CILIUM) {
      needed.add(new String[] {"create", "cilium.io", "ciliumnetworkpolicies"});
      needed.add(new String[] {"patch", "cilium.io", "ciliumnetworkpolicies"});
    } else if (policy == Policy.KUBERNETES) {
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
    if (volume && spec.externalShare() == null) {
      checks.add(
          CompletableFuture.supplyAsync(
              () ->
                  rollout.allowed("create", "", "persistentvolumes", false)
                      ? ""
                      : "create persistentvolumes (cluster-wide)",
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
              + (policy == Policy.CILIUM
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
            (store, objects) -> {
              rollout.ensureSecret(objects.secret(), store.givenPassword());
              rollout.apply(List.of(objects.claim()));
              awaitLater(rollout.apply(List.of(objects.deployment(), objects.service())).get(0));
            });
  }

  /** The share: its claim, server, Service and access policy; waits until it serves. */
  private NfsShare share(Plan plan) {
    List<KubeObject> nfsObjects = rollout.apply(plan.nfs().all());
    if (plan.policy() == Policy.CILIUM) {
      rollout.apply(List.of(spec.nfs().ciliumAccessPolicy(context)));
    } else if (plan.policy() == Policy.KUBERNETES) {
      rollout.apply(List.of(spec.nfs().accessPolicy(context, plan.nodeAddresses())));
    }
    KubeObject claim = plan.nfs().claim();
    KubeObject server = plan.nfs().deployment();
    awaitFirst(
        CompletableFuture.supplyAsync(
            () -> {
              rollout.awaitBound(claim);
              return rollout.awaitAvailable(server);
            },
            pool));
    KubeObject service = nfsObjects.get(nfsObjects.size() - 1); // as applied: with its cluster IP
    if (service.getString("spec.clusterIP") == null
        || service.getString("spec.clusterIP").isEmpty()) {
      service = kube.resource(service).waitUntil(Conditions.serviceHasClusterIP(), spec.timeout());
    }
    NfsShare share = new NfsShare(String.valueOf(service.getString("spec.clusterIP")), "/");
    rollout.report("NFS share", "serving at " + share.server());
    return share;
  }

  /** sshd, nginx, the IDE and the toolbox, with the share's address; returns sshd's host key. */
  private @Nullable SshHostKeys frontEnds(Plan plan, NfsShare share) {
    Exposure exposure = spec.exposure();
    SshServer ssh = spec.placedSsh().nodePort(plan.sshPort());
    SshServer.Objects sshObjects = ssh.objects(context, share, spec.keys());
    String hostKey = null;
    if (!context.profile().isClassic()) {
      rollout.ensureSecret(Objects.requireNonNull(sshObjects.hostKeys()), null);
      hostKey = rollout.storedValue(SshServer.HOST_KEYS, SshServer.HOST_KEY_FILE + ".pub");
    }
    rollout.apply(sshObjects.applied());
    awaitLater(sshObjects.deployment());
    WebServer web =
        exposure == Exposure.NODE_PORT ? spec.web().nodePort(plan.webPort()) : spec.web();
    WebServer.Objects webObjects = web.objects(context, share, exposure);
    rollout.apply(webObjects.all());
    awaitLater(webObjects.deployment());
    IdeServer ideServer = spec.ide();
    if (ideServer != null) {
      String password = Passwords.orGenerated(ideServer.givenPassword());
      if (rollout.ensureSecret(ideServer.secret(context, password), ideServer.givenPassword())) {
        idePassword = password;
      }
      IdeServer placed =
          ideServer.onNodePort(exposure) ? ideServer.nodePort(plan.idePort()) : ideServer;
      IdeServer.Objects ideObjects = placed.objects(context, share, exposure);
      rollout.apply(List.of(ideObjects.deployment(), ideObjects.service()));
      awaitLater(ideObjects.deployment());
    }
    if (spec.toolbox() != null) {
      Toolbox.Objects toolboxObjects = spec.toolbox().objects(context, share);
      rollout.apply(toolboxObjects.all());
      awaitLater(toolboxObjects.deployment());
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
            spec.toolbox() == null
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
    Exposure exposure = spec.exposure();
    IdeServer ideServer = spec.ide();
    boolean ideOnNodePort = ideServer != null && ideServer.onNodePort(exposure);
    int sshPort = plan.sshPort();
    int webPort = plan.webPort();
    int idePort = plan.idePort();
    DataService postgres = spec.postgres() == null ? null : spec.postgres().access(context);
    DataService redis = spec.redis() == null ? null : spec.redis().access(context);
    List<String> ips = accessIps();
    String ip = Rollout.firstIp(ips);
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
        spec.toolbox() == null
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
            kube,
            spec,
            new Access(
                share, ips, sshPort, webPort, exposure, ide, toolbox, postgres, redis, tunnel,
                hostKeys, warnings));
    rollout.report(
        "environment " + context.environment(),
        "ready: " + environment.sshCommand() + ", " + environment.webUrl());
    return environment;
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
