package dev.devkube.recipes;

import dev.devkube.ProgressListener;
import dev.devkube.k8s.ExecOptions;
import dev.devkube.k8s.ExecResult;
import dev.devkube.k8s.ExecSession;
import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.KubePod;
import dev.devkube.k8s.PortForward;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A deployed development environment: an NFS share, an ssh jump server and a web server that see
 * the same files, and, when asked for, a browser IDE on the share, a toolbox, Postgres and Redis.
 * Declared with {@link #in(KubeClient)}, deployed with one verb; deploying again changes nothing,
 * or only what changed.
 *
 * <pre>{@code
 * DevEnvironment env = DevEnvironment.in(kube)
 *     .sshKey(Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519.pub"))
 *     .deploy();
 * env.sshCommand();   // ssh -p 30022 dev@203.0.113.7 (the only port on the nodes)
 * env.sshHostKeys();  // the host key's fingerprint and known_hosts lines
 * try (PortForward web = env.forward(Part.WEB, 8080)) {
 *   env.webUrl();     // http://127.0.0.1:8080, through the API server
 * }
 *
 * DevEnvironment full = DevEnvironment.in(kube).sshKey(key)
 *     .ide().toolbox().postgres().redis()
 *     .sshOnly()       // web and IDE only through ssh -L; nothing but sshd on the nodes
 *     .deploy();
 * full.tunnelCommand();                  // ssh -p 30022 -N -L 8080:web-service... dev@203.0.113.7
 * full.ide().orElseThrow().password();   // the generated password, on this first deploy only
 * full.postgres().orElseThrow().connectionString();
 * }</pre>
 */
public final class DevEnvironment {
  /** The local ports the ssh tunnel forwards the web server and the IDE to. */
  static final int TUNNEL_WEB_PORT = 8080;

  static final int TUNNEL_IDE_PORT = 3000;

  private final KubeClient kube;
  private final EnvironmentSpec spec;
  private final RecipeContext context;
  private final Access access;

  DevEnvironment(KubeClient kube, EnvironmentSpec spec, Access access) {
    this.kube = kube;
    this.spec = spec;
    this.context = spec.context();
    this.access = access;
  }

  /**
   * A running, ready pod of {@code part}, to reach inside it.
   *
   * @throws IllegalStateException when the part has no ready pod (not deployed, or not up)
   */
  public KubePod pod(Part part) {
    return kube.pod(context.namespace(), Objects.requireNonNull(readyPod(part).name()));
  }

  /** The pods of {@code part} (its role label and the environment's), in any state. */
  List<KubeObject> pods(Part part) {
    return part.pods(kube, context);
  }

  private KubeObject readyPod(Part part) {
    return part.readyPod(kube, context);
  }

  /** Runs a command in a pod of {@code part} and waits (one minute) for its end. */
  public ExecResult exec(Part part, String... command) {
    return pod(part).exec(command);
  }

  /**
   * An interactive {@code sh} in a pod of {@code part}: write commands to its input, read its
   * output; from jshell, {@code env.shell(Part.TOOLBOX)}.
   */
  public ExecSession shell(Part part) {
    return pod(part).execStream(ExecOptions.defaults(), "sh");
  }

  /**
   * Forwards a loopback port to the first port of a pod of {@code part}, through the API server:
   * the web server or the IDE with no node port at all. Close it to stop.
   */
  public PortForward forward(Part part) {
    return forward(part, 0);
  }

  /**
   * As {@link #forward(Part)}, on {@code localPort} (0: any free one); with {@link
   * Exposure#FORWARD}, {@code forward(Part.WEB, 8080)} makes {@link #webUrl()} answer.
   */
  public PortForward forward(Part part, int localPort) {
    KubeObject pod = readyPod(part);
    if (!(pod.get("spec.containers[0].ports[0].containerPort") instanceof Number port)) {
      throw new IllegalStateException(part + " declares no port to forward to");
    }
    return kube.pod(context.namespace(), Objects.requireNonNull(pod.name()))
        .portForward(port.intValue(), localPort);
  }

  /**
   * The last 100 lines of every part's log, merged in time order, each line after its part ({@code
   * web | ...}): the original's "I need a logging solution".
   */
  public String logs() {
    return EnvironmentLogs.merged(this, kube, 100);
  }

  /** Passes every part's new log lines (after its last 10) to {@code lines} until closed. */
  public EnvironmentLogs followLogs(Consumer<String> lines) {
    return EnvironmentLogs.follow(this, kube, 10, Objects.requireNonNull(lines, "lines"));
  }

  /** The NFS share, for copying files in and out through the ssh server's pod. */
  public Share share() {
    return new Share(this);
  }

  /**
   * Checks, part by part, that the deployed environment works: every pod ready, the share mounted
   * in every consumer, a probe file written through sshd and read back through nginx over a
   * port-forward, the IDE answering only with its password, Postgres and Redis answering, the ssh
   * node port open. Leaves nothing behind (the probe file is removed). Safe to run against a real
   * cluster; it needs {@code create} on {@code pods/exec} and {@code pods/portforward}.
   */
  public VerifyReport verify() {
    return new Verifier(this, kube).run();
  }

  /** What the environment was deployed from. */
  public EnvironmentSpec spec() {
    return spec;
  }

  /** What exists of the environment now, and what is ready. */
  public EnvironmentStatus status() {
    return Lifecycle.status(kube, spec.context(), spec);
  }

  /**
   * Removes what the environment made (found by its labels): Deployments, Services, the NFS access
   * policy, ConfigMaps, Secrets and, unless {@code keepData}, the claims holding the share's files
   * and the databases' data (and, on most clouds, their volumes). With {@code keepData} the Secrets
   * that belong with the data (the database passwords, the ssh host key) stay too.
   *
   * @return how many objects were deleted
   */
  public int teardown(boolean keepData) {
    return Lifecycle.teardown(kube, spec, keepData);
  }

  /**
   * Starts declaring an environment in {@code kube}'s cluster: name {@code devkube}, namespace
   * {@code default}.
   */
  public static Builder in(KubeClient kube) {
    return new Builder(Objects.requireNonNull(kube, "kube"));
  }

  /** The environment's name, on every object's part-of label. */
  public String name() {
    return context.environment();
  }

  /** The namespace the environment is in. */
  public String namespace() {
    return context.namespace();
  }

  /** The share: the NFS Service's cluster IP and {@code /}. */
  public NfsShare nfs() {
    return access.nfs();
  }

  /** The node addresses the environment is reached on. */
  public List<String> accessIps() {
    return access.accessIps();
  }

  /** The node port sshd listens on. */
  public int sshNodePort() {
    return access.sshNodePort();
  }

  /** The web server's node port; 0 when it is reached through the ssh tunnel. */
  public int webNodePort() {
    return access.webNodePort();
  }

  /** How the web server and the IDE are reached. */
  public Exposure exposure() {
    return access.exposure();
  }

  /** What the caller should know, e.g. that only internal node IPs were found. */
  public List<String> warnings() {
    return access.warnings();
  }

  /** {@code ssh -p 30022 dev@203.0.113.7}. */
  public String sshCommand() {
    return "ssh -p " + access.sshNodePort() + " " + context.profile().sshUser() + "@" + firstIp();
  }

  /**
   * {@code http://203.0.113.7:30080}; {@code http://localhost:8080} when the web server is reached
   * through the {@link #tunnelCommand() tunnel}; {@code http://127.0.0.1:8080} with {@link
   * Exposure#FORWARD}, while {@code forward(Part.WEB, 8080)} is open.
   */
  public String webUrl() {
    return switch (access.exposure()) {
      case NODE_PORT -> "http://" + firstIp() + ":" + access.webNodePort();
      case SSH_TUNNEL -> "http://localhost:" + TUNNEL_WEB_PORT;
      case FORWARD -> "http://127.0.0.1:" + TUNNEL_WEB_PORT;
    };
  }

  /**
   * The {@code ssh -L} command that forwards what is only reachable through the ssh server (the web
   * server and IDE with {@link Exposure#SSH_TUNNEL}) to localhost; empty when everything is on a
   * node port.
   */
  public Optional<String> tunnelCommand() {
    return Optional.ofNullable(access.tunnelCommand());
  }

  /**
   * The ssh server's host key, its fingerprint and {@code known_hosts} lines, to check the first
   * connection against; empty in the classic profile, whose image makes a new key at every start.
   */
  public Optional<SshHostKeys> sshHostKeys() {
    return Optional.ofNullable(access.sshHostKeys());
  }

  /** The browser IDE, when the environment has one. */
  public Optional<IdeAccess> ide() {
    return Optional.ofNullable(access.ide());
  }

  /** The toolbox, when the environment has one. */
  public Optional<ToolboxAccess> toolbox() {
    return Optional.ofNullable(access.toolbox());
  }

  /** The database, when the environment has one. */
  public Optional<DataService> postgres() {
    return Optional.ofNullable(access.postgres());
  }

  /** The cache, when the environment has one. */
  public Optional<DataService> redis() {
    return Optional.ofNullable(access.redis());
  }

  private String firstIp() {
    return Rollout.firstIp(access.accessIps());
  }

  /** The lines the original scripts printed, for people who know them. */
  public List<String> classicMessages() {
    List<String> quoted = new ArrayList<>();
    access.accessIps().forEach(ip -> quoted.add("'" + ip + "'"));
    return List.of(
        "nfs running in cluster on " + access.nfs().server(),
        "ssh accessible on port " + access.sshNodePort() + " on IPs " + quoted,
        "web server accessible at " + webUrl());
  }

  @Override
  public String toString() {
    return "DevEnvironment["
        + name()
        + " in "
        + namespace()
        + ", nfs "
        + access.nfs().server()
        + ", "
        + sshCommand()
        + ", "
        + webUrl()
        + (access.ide() == null ? "" : ", ide " + access.ide().url())
        + (access.postgres() == null ? "" : ", " + access.postgres().connectionString())
        + (access.redis() == null ? "" : ", " + access.redis().connectionString())
        + "]";
  }

  /** Declares an environment: its name, namespace, keys, pieces and profile. */
  public static final class Builder {
    private final KubeClient kube;
    private String name = "devkube";
    private String namespace = "default";
    private final List<String> keys = new ArrayList<>();
    private NfsServer nfs = NfsServer.create();
    private @Nullable NfsShare externalShare;
    private SshServer ssh = SshServer.create();
    private WebServer web = WebServer.create();
    private @Nullable IdeServer ide;
    private @Nullable Toolbox toolbox;
    private @Nullable Postgres postgres;
    private @Nullable Redis redis;
    private Exposure exposure = Exposure.FORWARD;
    private boolean exposureChosen;
    private Profile profile = Profile.DEFAULT;
    private boolean autoNodePorts;
    private Duration timeout = Duration.ofMinutes(5);

    private Builder(KubeClient kube) {
      this.kube = kube;
    }

    /**
     * The environment's name (a DNS label), on every object's part-of label; {@code devkube} unless
     * set.
     */
    public Builder name(String name) {
      this.name = name;
      new RecipeContext(namespace, name, profile);
      return this;
    }

    /** The namespace, created if missing; {@code default} unless set. */
    public Builder namespace(String namespace) {
      this.namespace = namespace;
      new RecipeContext(namespace, name, profile);
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

    /**
     * The NFS server: a new volume ({@link NfsServer#create()}) or a kept one ({@link
     * NfsServer#onVolume}).
     */
    public Builder nfs(NfsServer nfs) {
      this.nfs = Objects.requireNonNull(nfs, "nfs");
      this.externalShare = null;
      return this;
    }

    /**
     * Mounts an NFS share that lives outside the environment (a cloud's managed file share, which
     * outlives any cluster) instead of running an NFS server: no server pod, no claim, no access
     * policy of devkube's; the share's own network rules apply.
     */
    public Builder externalShare(NfsShare share) {
      this.externalShare = Objects.requireNonNull(share, "share");
      return this;
    }

    /** The ssh server, when not the default one. */
    public Builder ssh(SshServer ssh) {
      this.ssh = Objects.requireNonNull(ssh, "ssh");
      return this;
    }

    /** The web server, when not the default one. */
    public Builder web(WebServer web) {
      this.web = Objects.requireNonNull(web, "web");
      return this;
    }

    /** Adds the browser IDE: code-server with a generated password. */
    public Builder ide() {
      return ide(IdeServer.create());
    }

    /** Adds this browser IDE. */
    public Builder ide(IdeServer ide) {
      this.ide = Objects.requireNonNull(ide, "ide");
      return this;
    }

    /** Adds the toolbox with its default packages. */
    public Builder toolbox() {
      return toolbox(Toolbox.create());
    }

    /** Adds this toolbox. */
    public Builder toolbox(Toolbox toolbox) {
      this.toolbox = Objects.requireNonNull(toolbox, "toolbox");
      return this;
    }

    /** Adds Postgres: database and user {@code dev}, a generated password. */
    public Builder postgres() {
      return postgres(Postgres.create());
    }

    /** Adds this Postgres. */
    public Builder postgres(Postgres postgres) {
      this.postgres = Objects.requireNonNull(postgres, "postgres");
      return this;
    }

    /** Adds Redis with a generated password. */
    public Builder redis() {
      return redis(Redis.create());
    }

    /** Adds this Redis. */
    public Builder redis(Redis redis) {
      this.redis = Objects.requireNonNull(redis, "redis");
      return this;
    }

    /**
     * How the web server and the IDE are reached: {@link Exposure#FORWARD} unless set (nothing but
     * sshd on the nodes), {@link Exposure#NODE_PORT} in the classic profile. {@link
     * Exposure#NODE_PORT} serves the share's files and the IDE's login over plain HTTP on every
     * node's address; the environment then says so in {@link DevEnvironment#warnings()}.
     */
    public Builder exposure(Exposure exposure) {
      this.exposure = Objects.requireNonNull(exposure, "exposure");
      this.exposureChosen = true;
      return this;
    }

    /**
     * Puts the web server and the IDE on node ports of every node, as the original did ({@link
     * Exposure#NODE_PORT}): reachable by anyone who reaches the nodes, over plain HTTP (the IDE
     * asks for its password).
     */
    public Builder nodePorts() {
      return exposure(Exposure.NODE_PORT);
    }

    /**
     * Reaches the web server and the IDE only through the ssh server ({@link Exposure#SSH_TUNNEL}).
     */
    public Builder sshOnly() {
      return exposure(Exposure.SSH_TUNNEL);
    }

    /**
     * Reaches the web server and the IDE only through the API server ({@link Exposure#FORWARD}):
     * {@code env.forward(Part.WEB)}.
     */
    public Builder forwardOnly() {
      return exposure(Exposure.FORWARD);
    }

    /**
     * The images and naming profile; {@link Profile#DEFAULT} unless set. The classic profile puts
     * the web server and the IDE on the original's node ports unless an exposure was chosen.
     */
    public Builder profile(Profile profile) {
      this.profile = Objects.requireNonNull(profile, "profile");
      if (!exposureChosen) {
        this.exposure = profile.isClassic() ? Exposure.NODE_PORT : Exposure.FORWARD;
      }
      return this;
    }

    /**
     * The original scripts' images, node ports and messages ({@link Profile#CLASSIC}): the web
     * server and the IDE on node ports 30080 and 30030.
     */
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

    /**
     * The environment as declared so far, fixed: what {@link #deploy()} hands to the deployer.
     *
     * @throws IllegalArgumentException when the name or namespace is not a DNS label
     */
    public EnvironmentSpec spec() {
      return new EnvironmentSpec(
          name,
          namespace,
          profile,
          keys,
          nfs,
          externalShare,
          ssh,
          web,
          ide,
          toolbox,
          postgres,
          redis,
          exposure,
          autoNodePorts,
          timeout);
    }

    /**
     * Every object the environment is made of, for a share at {@code share}, with freshly generated
     * passwords in the Secrets and no node in the NFS access policy. No I/O.
     */
    public List<KubeObject> objects(NfsShare share) {
      return spec().objects(share);
    }

    /** Like {@link #deploy(ProgressListener)}, logging progress. */
    public DevEnvironment deploy() {
      return deploy(ProgressListener.toLog());
    }

    /**
     * Applies Postgres and Redis (they need nothing else) and the NFS server, waits until the share
     * serves, then applies the ssh and web servers, the IDE and the toolbox with its address, and
     * waits for all of them in parallel; returns the access points.
     *
     * @throws IllegalArgumentException when no ssh key was given
     * @throws IllegalStateException when a node port is taken (unless {@link #autoNodePorts()}), a
     *     storage class is missing, or a credentials Secret holds a password other than the given
     *     one
     * @throws dev.devkube.WaitTimeoutException naming what a part's pods are doing
     */
    public DevEnvironment deploy(ProgressListener listener) {
      if (keys.isEmpty()) {
        throw new IllegalArgumentException(
            "no ssh public key: call sshKey(Path) or sshKeys(String)" + " before deploy()");
      }
      return new Deployer(kube, spec(), listener).run();
    }

    /** What exists (by its labels) and is ready; given a key, also planned parts not there. */
    public EnvironmentStatus status() {
      return Lifecycle.status(
          kube, new RecipeContext(namespace, name, profile), keys.isEmpty() ? null : spec());
    }

    /**
     * Removes what the environment made; see {@link DevEnvironment#teardown(boolean)}.
     *
     * @return how many objects were deleted
     */
    public int teardown(boolean keepData) {
      return Lifecycle.teardown(kube, spec(), keepData);
    }
  }
}
