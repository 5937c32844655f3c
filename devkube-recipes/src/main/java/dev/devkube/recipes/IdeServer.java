package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.map;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A browser IDE on the share: code-server behind a password (generated and kept in a Secret, or
 * {@link #password(String) given}), running as uid 1000, the share's owner, as code-server's own
 * Helm chart runs it; it checks before starting that it can write the share. Reached through a
 * tunnel unless the environment puts it on a node port (30030 by default). The original's Theia
 * image ({@code theiaide/theia}) was withdrawn from Docker Hub in 2021 and Eclipse Theia publishes
 * no maintained image, so the classic profile uses code-server too (docs/images.md). Immutable;
 * {@link #toString()} never shows the password.
 *
 * <pre>{@code
 * DevEnvironment.in(kube).sshKey(key).ide(IdeServer.create().nodePort(30030)).deploy();
 * }</pre>
 */
public final class IdeServer {
  static final String SECRET = "ide-password";
  static final String DEPLOYMENT = "ide";
  static final String SERVICE = "ide-service";
  static final String ROLE = "ide-server";

  /** The uid every writer of the share runs as; the NFS server gives it the export's root. */
  static final int SHARE_UID = 1000;

  static final String CODE_SERVER_IMAGE = "codercom/code-server:4.133.0";

  private final int nodePort;
  private final @Nullable String password;

  private IdeServer(int nodePort, @Nullable String password) {
    this.nodePort = nodePort;
    this.password = password;
  }

  /** code-server with a generated password (node port 30030 when exposed on the nodes). */
  public static IdeServer create() {
    return new IdeServer(30030, null);
  }

  /** The node port, in 30000-32767 (default 30030); used only with {@link Exposure#NODE_PORT}. */
  public IdeServer nodePort(int nodePort) {
    return new IdeServer(WebServer.requireNodePort(nodePort), password);
  }

  /**
   * The password to log in with instead of a generated one: at least 12 printable characters.
   * Deploying with it replaces the one in the Secret.
   */
  public IdeServer password(String password) {
    return new IdeServer(nodePort, Passwords.requireUsable("the IDE password", password));
  }

  /** The node port the IDE is on when exposed on the nodes. */
  public int nodePort() {
    return nodePort;
  }

  /** Whether the IDE asks for a password: always (code-server's {@code --auth password}). */
  public boolean authenticated() {
    return true;
  }

  /** The port the IDE listens on in its container: 8080, code-server's. */
  public int containerPort() {
    return 8080;
  }

  /** The image the IDE runs (pinned; see docs/images.md). */
  public String image() {
    return CODE_SERVER_IMAGE;
  }

  /** Where the share is mounted in the IDE: its workspace. */
  public String workspace() {
    return "/home/coder/project";
  }

  @Nullable String givenPassword() {
    return password;
  }

  /** Whether it gets a node port with {@code exposure}. */
  boolean onNodePort(Exposure exposure) {
    return exposure == Exposure.NODE_PORT;
  }

  /**
   * The IDE's objects.
   *
   * @param secret Secret {@code ide-password}, written only when missing (a deploy keeps the stored
   *     password)
   * @param deployment Deployment {@code ide}
   * @param service its Service {@code ide-service}
   */
  public record Objects(KubeObject secret, KubeObject deployment, KubeObject service) {
    /** In the order they are applied. */
    public List<KubeObject> all() {
      return List.of(secret, deployment, service);
    }
  }

  /**
   * The password Secret (with the given or a newly generated password), the server and its Service.
   * No I/O.
   */
  public Objects objects(RecipeContext context, NfsShare share, Exposure exposure) {
    KubeObject secret = secret(context, Passwords.orGenerated(password));
    List<KubeObject> server = server(context, share, exposure);
    return new Objects(secret, server.get(0), server.get(1));
  }

  KubeObject secret(RecipeContext context, String password) {
    return Manifests.secret(context, SECRET, "ide", Map.of("password", password));
  }

  /** The Deployment and its Service. */
  List<KubeObject> server(RecipeContext context, NfsShare share, Exposure exposure) {
    Map<String, Object> ide =
        container(
            "ide",
            image(),
            list(port("http", containerPort(), "containerPort")),
            list(mount(Manifests.SHARE_VOLUME, workspace(), false)),
            map(
                "httpGet",
                map("path", "/healthz", "port", containerPort()),
                "initialDelaySeconds",
                2,
                "periodSeconds",
                5));
    Manifests.memory(ide, "256Mi", "1Gi");
    ide.put("securityContext", Manifests.nonRoot(SHARE_UID, SHARE_UID));
    ide.put(
        "args",
        list(
            "--bind-addr",
            "0.0.0.0:" + containerPort(),
            "--auth",
            "password",
            "--disable-telemetry",
            workspace()));
    ide.put("env", list(Manifests.secretEnv("PASSWORD", SECRET, "password")));
    // Fails the pod, with the reason in its status, when uid 1000 cannot write the share (B26).
    String probe = workspace() + "/.devkube-write-check";
    Map<String, Object> check =
        Manifests.initContainer(
            "share-writable",
            image(),
            mount(Manifests.SHARE_VOLUME, workspace(), false),
            "touch "
                + probe
                + " && rm "
                + probe
                + " || { echo \"the share is not writable by uid "
                + SHARE_UID
                + "\" >&2; exit 1; }",
            Manifests.nonRoot(SHARE_UID, SHARE_UID));
    KubeObject deployment =
        Manifests.deployment(
                context,
                DEPLOYMENT,
                "ide",
                ROLE,
                false,
                list(ide),
                list(Manifests.nfsVolume(share)))
            .set("spec.template.spec.initContainers", list(check));
    KubeObject service =
        onNodePort(exposure)
            ? Manifests.nodePortService(
                context, SERVICE, "ide", ROLE, "http", containerPort(), containerPort(), nodePort)
            : Manifests.clusterIpService(
                context, SERVICE, "ide", ROLE, "http", containerPort(), containerPort());
    return List.of(deployment, service);
  }

  @Override
  public String toString() {
    return "IdeServer["
        + "code-server, node port "
        + nodePort
        + (password == null ? ", generated password" : ", given password")
        + "]";
  }
}
