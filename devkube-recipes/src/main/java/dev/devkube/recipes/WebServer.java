package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.util.List;

/**
 * nginx serving the share (read-only) from {@code /usr/share/nginx/html}, and a NodePort Service
 * (80 to 30080 by default). Immutable.
 */
public final class WebServer {
  static final String DEPLOYMENT = "nginx";
  static final String SERVICE = "web-service";
  static final String ROLE = "web-server";

  private final int nodePort;

  private WebServer(int nodePort) {
    this.nodePort = nodePort;
  }

  /** The web server with the defaults: nginx serving the share on node port 30080 when exposed. */
  public static WebServer create() {
    return new WebServer(30080);
  }

  /** The node port, in 30000-32767 (default 30080). */
  public WebServer nodePort(int nodePort) {
    return new WebServer(requireNodePort(nodePort));
  }

  /** The node port nginx is on when exposed on the nodes. */
  public int nodePort() {
    return nodePort;
  }

  /**
   * The web server's objects.
   *
   * @param deployment nginx, Deployment {@code nginx}
   * @param service its Service {@code web-service}
   */
  public record Objects(KubeObject deployment, KubeObject service) {
    /** In the order they are applied. */
    public List<KubeObject> all() {
      return List.of(deployment, service);
    }
  }

  /** The server and its NodePort Service, as the original had them. No I/O. */
  public Objects objects(RecipeContext context, NfsShare share) {
    return objects(context, share, Exposure.NODE_PORT);
  }

  /**
   * The server and its Service: NodePort with {@link Exposure#NODE_PORT}, else ClusterIP. No I/O.
   */
  public Objects objects(RecipeContext context, NfsShare share, Exposure exposure) {
    KubeObject deployment =
        Manifests.deployment(
            context,
            DEPLOYMENT,
            "web",
            ROLE,
            false,
            list(
                container(
                    "nginx",
                    context.profile().webImage(),
                    list(port("web", 80, "containerPort")),
                    list(mount(Manifests.SHARE_VOLUME, "/usr/share/nginx/html", true)),
                    Manifests.tcpProbe(80))),
            list(Manifests.nfsVolume(share)));
    KubeObject service =
        exposure == Exposure.NODE_PORT
            ? Manifests.nodePortService(context, SERVICE, "web", ROLE, "http", 80, 80, nodePort)
            : Manifests.clusterIpService(context, SERVICE, "web", ROLE, "http", 80, 80);
    return new Objects(deployment, service);
  }

  static int requireNodePort(int port) {
    if (port < 30000 || port > 32767) {
      throw new IllegalArgumentException(
          "node port "
              + port
              + " is outside 30000-32767, the range"
              + " Kubernetes allows for NodePort Services");
    }
    return port;
  }
}
