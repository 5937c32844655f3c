package dev.devkube.recipes;

import dev.devkube.DevkubeException;
import dev.devkube.ProgressListener;
import dev.devkube.k8s.Conditions;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A deployed development environment: an NFS share, an ssh jump server and a web server that see
 * the same files. Declared with {@link #in(KubeClient)}, deployed with one verb; deploying again
 * changes nothing, or only what changed.
 *
 * <pre>{@code
 * DevEnvironment env = DevEnvironment.in(kube)
 *     .sshKey(Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519.pub"))
 *     .deploy();
 * env.sshCommand();   // ssh -p 30022 dev@203.0.113.7
 * env.webUrl();       // http://203.0.113.7:30080
 * }</pre>
 */
public final class DevEnvironment {
  private final Context context;
  private final NfsShare nfs;
  private final List<String> accessIps;
  private final int sshNodePort;
  private final int webNodePort;
  private final List<String> warnings;

  private DevEnvironment(Context context, NfsShare nfs, List<String> accessIps, int sshNodePort,
      int webNodePort, List<String> warnings) {
    this.context = context;
    this.nfs = nfs;
    this.accessIps = List.copyOf(accessIps);
    this.sshNodePort = sshNodePort;
    this.webNodePort = webNodePort;
    this.warnings = List.copyOf(warnings);
  }

  /** Starts declaring an environment in {@code kube}'s cluster: name {@code devkube}, namespace {@code default}. */
  public static Builder in(KubeClient kube) {
    return new Builder(Objects.requireNonNull(kube, "kube"));
  }

  public String name() {
    return context.environment();
  }

  public String namespace() {
    return context.namespace();
  }

  /** The share: the NFS Service's cluster IP and {@code /}. */
  public NfsShare nfs() {
    return nfs;
  }

  /** The node addresses the environment is reached on. */
  public List<String> accessIps() {
    return accessIps;
  }

  public int sshNodePort() {
    return sshNodePort;
  }

  public int webNodePort() {
    return webNodePort;
  }

  /** What the caller should know, e.g. that only internal node IPs were found. */
  public List<String> warnings() {
    return warnings;
  }

  /** {@code ssh -p 30022 dev@203.0.113.7}. */
  public String sshCommand() {
    return "ssh -p " + sshNodePort + " " + context.profile().sshUser() + "@" + firstIp();
  }

  /** {@code http://203.0.113.7:30080}. */
  public String webUrl() {
    return "http://" + firstIp() + ":" + webNodePort;
  }

  private String firstIp() {
    return accessIps.isEmpty() ? "<no node address>" : accessIps.get(0);
  }

  /** The lines the original scripts printed, for people who know them. */
  public List<String> classicMessages() {
    List<String> quoted = new ArrayList<>();
    accessIps.forEach(ip -> quoted.add("'" + ip + "'"));
    return List.of("nfs running in cluster on " + nfs.server(),
        "ssh accessible on port " + sshNodePort + " on IPs " + quoted,
        "web server accessible at " + webUrl());
  }

  @Override
  public String toString() {
    return "DevEnvironment[" + name() + " in " + namespace() + ", nfs " + nfs.server() + ", "
        + sshCommand() + ", " + webUrl() + "]";
  }

  /** Declares an environment: its name, namespace, keys, pieces and profile. */
  public static final class Builder {
    private final KubeClient kube;
    private String name = "devkube";
    private String namespace = "default";
    private final List<String> keys = new ArrayList<>();
    private NfsServer nfs = NfsServer.create();
    private SshServer ssh = SshServer.create();
    private WebServer web = WebServer.create();
    private Profile profile = Profile.DEFAULT;
    private boolean autoNodePorts;
    private Duration timeout = Duration.ofMinutes(5);

    private Builder(KubeClient kube) {
      this.kube = kube;
    }

    /** The environment's name (a DNS label), on every object's part-of label; {@code devkube} unless set. */
    public Builder name(String name) {
      this.name = name;
      new Context(namespace, name, profile);
      return this;
    }

    /** The namespace, created if missing; {@code default} unless set. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      new Context(namespace, name, profile);
      return this;
    }

    /** Adds the public keys in {@code file}; read and checked now, before any request. */
    public Builder sshKey(Path file) {
      keys.addAll(SshKeys.read(file));
      return this;
    }

    /** Adds public keys given as text, one per line; checked now. */
    public Builder sshKeys(String publicKeys) {
      keys.addAll(SshKeys.parse(publicKeys, "the given ssh keys"));
      return this;
    }

    public Builder nfs(NfsServer nfs) {
      this.nfs = Objects.requireNonNull(nfs, "nfs");
      return this;
    }

    public Builder ssh(SshServer ssh) {
      this.ssh = Objects.requireNonNull(ssh, "ssh");
      return this;
    }

    public Builder web(WebServer web) {
      this.web = Objects.requireNonNull(web, "web");
      return this;
    }

    /** The images and naming profile; {@link Profile#DEFAULT} unless set. */
    public Builder profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      return this;
    }

    /** The original scripts' images and messages ({@link Profile#CLASSIC}). */
    public Builder classic() {
      return profile(Profile.CLASSIC);
    }

    /** When a node port is taken by another Service, use the next free one instead of failing. */
    public Builder autoNodePorts() {
      this.autoNodePorts = true;
      return this;
    }

    /** How long each wait may take; 5 minutes unless set. */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout " + timeout + " is not positive");
      }
      this.timeout = timeout;
      return this;
    }

    Context context() {
      return new Context(namespace, name, profile);
    }

    /** Every object the environment is made of, for a share at {@code share}. No I/O. */
    public List<KubeObject> objects(NfsShare share) {
      Context context = context();
      List<KubeObject> objects = new ArrayList<>(nfs.objects(context));
      objects.addAll(ssh.objects(context, share, keys));
      objects.addAll(web.objects(context, share));
      return objects;
    }

    /** Like {@link #deploy(ProgressListener)}, logging progress. */
    public DevEnvironment deploy() {
      return deploy(ProgressListener.toLog());
    }

    /**
     * Applies the NFS server and waits until it serves, then the ssh and web servers with its
     * address, in parallel, and waits for them; returns the access points.
     *
     * @throws IllegalArgumentException when no ssh key was given
     * @throws IllegalStateException when a node port is taken (unless {@link #autoNodePorts()}) or
     *     the storage class is missing
     * @throws dev.devkube.WaitTimeoutException naming what a part's pods are doing
     */
    public DevEnvironment deploy(ProgressListener listener) {
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("no ssh public key: call sshKey(Path) or sshKeys(String)"
            + " before deploy()");
      }
      Context context = context();
      Rollout rollout = new Rollout(kube, context, timeout, listener);
      List<KubeObject> planned = nfs.objects(context);
      rollout.requireStorageClass(planned.get(0));
      ensureNamespace(context);

      List<KubeObject> nfsObjects = rollout.apply(planned);
      rollout.awaitBound(nfsObjects.get(0));
      rollout.awaitAvailable(nfsObjects.get(1));
      KubeObject service = nfsObjects.get(2);
      if (service.getString("spec.clusterIP") == null || service.getString("spec.clusterIP").isEmpty()) {
        service = kube.resource(service).waitUntil(Conditions.serviceHasClusterIP(), timeout);
      }
      NfsShare share = new NfsShare(String.valueOf(service.getString("spec.clusterIP")), "/");
      rollout.report("NFS share", "serving at " + share.server());

      Map<Integer, String> taken = rollout.takenNodePorts(SshServer.SERVICE, WebServer.SERVICE);
      int sshPort = Rollout.nodePort(ssh.nodePort(), SshServer.SERVICE, autoNodePorts, taken);
      taken.put(sshPort, "Service " + SshServer.SERVICE + " of this environment");
      // The web server steps aside if it asked for the port ssh has; otherwise as for ssh.
      int webPort = Rollout.nodePort(web.nodePort(), WebServer.SERVICE,
          autoNodePorts || web.nodePort() == sshPort, taken);
      List<KubeObject> sshObjects = rollout.apply(ssh.nodePort(sshPort).objects(context, share, keys));
      List<KubeObject> webObjects = rollout.apply(web.nodePort(webPort).objects(context, share));
      ExecutorService waits = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "devkube-deploy-" + context.environment());
        thread.setDaemon(true);
        return thread;
      });
      try {
        CompletableFuture<KubeObject> sshReady = CompletableFuture.supplyAsync(
            () -> rollout.awaitAvailable(sshObjects.get(1)), waits);
        CompletableFuture<KubeObject> webReady = CompletableFuture.supplyAsync(
            () -> rollout.awaitAvailable(webObjects.get(0)), waits);
        CompletableFuture.allOf(sshReady, webReady).join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException ? (RuntimeException) e.getCause()
            : new DevkubeException("deploying " + context.environment() + " failed: " + e.getCause(), e.getCause());
      } finally {
        waits.shutdownNow();
      }
      List<String> warnings = new ArrayList<>();
      List<String> ips = Rollout.accessIps(kube, warnings);
      DevEnvironment environment = new DevEnvironment(context, share, ips, sshPort, webPort, warnings);
      rollout.report("environment " + context.environment(), "ready: " + environment.sshCommand()
          + ", " + environment.webUrl());
      return environment;
    }

    private void ensureNamespace(Context context) {
      KubeObject namespaceObject = KubeObject.of("v1", "Namespace", context.namespace());
      if (kube.resource(namespaceObject).get().isEmpty()) {
        kube.resource(namespaceObject.set("metadata.labels", context.labels("namespace"))).apply();
      }
    }

    /** What exists of the environment and what is ready. */
    public EnvironmentStatus status() {
      Context context = context();
      List<EnvironmentStatus.Part> parts = new ArrayList<>();
      for (KubeObject planned : objects(new NfsShare("0.0.0.0", "/"))) {
        KubeObject current = kube.resource(planned).get().orElse(null);
        boolean ready = current != null && switch (String.valueOf(planned.kind())) {
          case "Deployment" -> Conditions.deploymentAvailable().check(current).outcome()
              == dev.devkube.k8s.Condition.Outcome.MET;
          case "PersistentVolumeClaim" -> "Bound".equals(current.getString("status.phase"));
          default -> true;
        };
        parts.add(new EnvironmentStatus.Part(String.valueOf(planned.kind()), String.valueOf(planned.name()),
            current != null, ready));
      }
      List<String> warnings = new ArrayList<>();
      return new EnvironmentStatus(context.environment(), context.namespace(), parts,
          Rollout.accessIps(kube, warnings));
    }

    /**
     * Removes what the environment made (found by its labels): Deployments, Services, Secrets and,
     * unless {@code keepData}, the claim holding the share's files (and, on most clouds, its volume).
     *
     * @return how many objects were deleted
     */
    public int teardown(boolean keepData) {
      Context context = context();
      int deleted = 0;
      List<String[]> kinds = new ArrayList<>(List.of(new String[] {"apps/v1", "Deployment"},
          new String[] {"v1", "Service"}, new String[] {"v1", "Secret"}));
      if (!keepData) {
        kinds.add(new String[] {"v1", "PersistentVolumeClaim"});
      }
      for (String[] kind : kinds) {
        deleted += kube.resources(kind[0], kind[1]).inNamespace(context.namespace())
            .withLabel(Context.PART_OF, context.environment()).withLabel(Context.MANAGED_BY, "devkube")
            .delete();
      }
      return deleted;
    }
  }
}
