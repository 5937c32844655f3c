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
            6,
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

  private DevEnvironment deploy() {
    List<KubeObject> nfsPlanned = spec.nfs.objects(context);
    rollout.requireStorageClass(nfsPlanned.get(0), "NfsServer.create().storageClass(...)");
    Map<DataStore, List<KubeObject>> stores = new LinkedHashMap<>();
    for (DataStore store : new DataStore[] {spec.postgres, spec.redis}) {
      if (store != null) {
        stores.put(store, store.server(context));
        rollout.requireStorageClass(stores.get(store).get(0), store.storageClassSetter());
      }
    }
    ensureNamespace();

    // The database and the cache need nothing from the rest: they start first and are waited for
    // last.
    stores.forEach(
        (store, server) -> {
          rollout.ensureSecret(
              store.secret(context, Passwords.orGenerated(store.givenPassword())),
              store.givenPassword());
          awaitLater(rollout.apply(server).get(1));
        });
    DataService postgres = spec.postgres == null ? null : spec.postgres.access(context);
    DataService redis = spec.redis == null ? null : spec.redis.access(context);

    List<KubeObject> nfsObjects = rollout.apply(nfsPlanned);
    rollout.apply(List.of(spec.nfs.accessPolicy(context, Rollout.nodeAddresses(kube))));
    rollout.awaitBound(nfsObjects.get(0));
    rollout.awaitAvailable(nfsObjects.get(1));
    KubeObject service = nfsObjects.get(2);
    if (service.getString("spec.clusterIP") == null
        || service.getString("spec.clusterIP").isEmpty()) {
      service = kube.resource(service).waitUntil(Conditions.serviceHasClusterIP(), spec.timeout);
    }
    NfsShare share = new NfsShare(String.valueOf(service.getString("spec.clusterIP")), "/");
    rollout.report("NFS share", "serving at " + share.server());

    Exposure exposure = spec.exposure;
    IdeServer ideServer = spec.ide;
    boolean ideOnNodePort = ideServer != null && ideServer.onNodePort(exposure);
    Map<Integer, String> taken =
        rollout.takenNodePorts(SshServer.SERVICE, WebServer.SERVICE, IdeServer.SERVICE);
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

    SshServer ssh =
        spec.ssh
            .nodePort(sshPort)
            .tcpForwarding(spec.ssh.tcpForwarding() || spec.needsForwarding());
    String hostKey = null;
    if (!context.profile().isClassic()) {
      rollout.ensureSecret(SshServer.hostKeySecret(context), null);
      hostKey = rollout.storedValue(SshServer.HOST_KEYS, SshServer.HOST_KEY_FILE + ".pub");
    }
    awaitLater(deploymentOf(rollout.apply(ssh.server(context, share, spec.keys))));
    WebServer web = exposure == Exposure.NODE_PORT ? spec.web.nodePort(webPort) : spec.web;
    awaitLater(rollout.apply(web.objects(context, share, exposure)).get(0));
    String idePassword = null;
    if (ideServer != null) {
      if (ideServer.authenticated()) {
        String password = Passwords.orGenerated(ideServer.givenPassword());
        if (rollout.ensureSecret(ideServer.secret(context, password), ideServer.givenPassword())) {
          idePassword = password;
        }
      }
      IdeServer placed = ideOnNodePort ? ideServer.nodePort(idePort) : ideServer;
      awaitLater(rollout.apply(placed.server(context, share, exposure)).get(0));
    }
    if (spec.toolbox != null) {
      awaitLater(rollout.apply(spec.toolbox.objects(context, share)).get(0));
    }
    awaitAll();

    List<String> warnings = new ArrayList<>();
    List<String> ips = Rollout.accessIps(kube, warnings);
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
    SshHostKeys hostKeys =
        hostKey == null
            ? null
            : new SshHostKeys(
                hostKey.strip(),
                HostKeys.fingerprint(hostKey),
                HostKeys.knownHosts(
                    hostKey,
                    ips,
                    sshPort,
                    spec.toolbox == null
                        ? List.of()
                        : List.of(Manifests.serviceHost(context, Toolbox.SERVICE))));
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

  private void ensureNamespace() {
    KubeObject namespaceObject = KubeObject.of("v1", "Namespace", context.namespace());
    if (kube.resource(namespaceObject).get().isEmpty()) {
      kube.resource(namespaceObject.set("metadata.labels", context.labels("namespace"))).apply();
    }
  }

  private void awaitLater(KubeObject deployment) {
    waits.add(CompletableFuture.supplyAsync(() -> rollout.awaitAvailable(deployment), pool));
  }

  private void awaitAll() {
    try {
      CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException
          ? (RuntimeException) e.getCause()
          : new DevkubeException(
              "deploying " + context.environment() + " failed: " + e.getCause(), e.getCause());
    }
  }
}
