package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.map;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An ssh jump server on the share: a Secret with the authorized keys, an sshd Deployment (not
 * privileged: the kubelet mounts the share) with the share at {@code /mnt/nfs}, and a NodePort
 * Service (22 to 30022 by default). Immutable.
 */
public final class SshServer {
  static final String SECRET = "sshkey";
  static final String DEPLOYMENT = "sshd";
  static final String SERVICE = "sshd-service";
  static final String ROLE = "sshd-server";

  private final int nodePort;
  private final boolean tcpForwarding;

  private SshServer(int nodePort, boolean tcpForwarding) {
    this.nodePort = nodePort;
    this.tcpForwarding = tcpForwarding;
  }

  public static SshServer create() {
    return new SshServer(30022, false);
  }

  /** The node port, in 30000-32767 (default 30022). */
  public SshServer nodePort(int nodePort) {
    return new SshServer(WebServer.requireNodePort(nodePort), tcpForwarding);
  }

  /**
   * Whether the server forwards TCP ({@code ssh -L}, {@code ssh -J}); off unless set. The
   * environment turns it on when something is reached through the server (the IDE or web server
   * with {@link Exposure#SSH_TUNNEL}, the toolbox).
   */
  public SshServer tcpForwarding(boolean tcpForwarding) {
    return new SshServer(nodePort, tcpForwarding);
  }

  public int nodePort() {
    return nodePort;
  }

  public boolean tcpForwarding() {
    return tcpForwarding;
  }

  /**
   * The linuxserver openssh image's settings for key-only login as the profile's user, with the
   * keys mounted at {@code /keys}, as the share's owner (the files written over ssh, from the IDE
   * and from the toolbox are one user's). The toolbox runs the same image.
   */
  static List<Object> keyLoginEnv(Profile profile) {
    return list(
        map("name", "PUBLIC_KEY_FILE", "value", "/keys/authorizedkeys"),
        map("name", "USER_NAME", "value", profile.sshUser()),
        map("name", "PASSWORD_ACCESS", "value", "false"),
        map("name", "PUID", "value", String.valueOf(IdeServer.SHARE_UID)),
        map("name", "PGID", "value", String.valueOf(IdeServer.SHARE_UID)));
  }

  /** The Secret, the server and its Service. No I/O. */
  public List<KubeObject> objects(
      RecipeContext context, NfsShare share, List<String> authorizedKeys) {
    if (authorizedKeys.isEmpty()) {
      throw new IllegalArgumentException(
          "the ssh server needs at least one public key: call sshKey(...)");
    }
    String keys = String.join("\n", authorizedKeys) + "\n";
    KubeObject secret =
        KubeObject.of("v1", "Secret", SECRET)
            .namespace(context.namespace())
            .set("metadata.labels", context.labels("sshd"))
            .set("type", "Opaque")
            .set(
                "data",
                map(
                    "authorizedkeys",
                    Base64.getEncoder().encodeToString(keys.getBytes(StandardCharsets.UTF_8))));
    Profile profile = context.profile();
    Map<String, Object> sshd =
        container(
            "sshd",
            profile.sshImage(),
            list(port("ssh", profile.sshPort(), "containerPort")),
            list(mount(Manifests.SHARE_VOLUME, "/mnt/nfs", false)),
            Manifests.tcpProbe(profile.sshPort()));
    if (profile.isClassic()) {
      sshd.put(
          "env",
          list(
              map(
                  "name",
                  "PUBLIC_KEY",
                  "valueFrom",
                  map("secretKeyRef", map("name", SECRET, "key", "authorizedkeys")))));
    } else {
      @SuppressWarnings("unchecked")
      List<Object> mounts = (List<Object>) Objects.requireNonNull(sshd.get("volumeMounts"));
      mounts.add(mount("keys", "/keys", true));
      List<Object> env = keyLoginEnv(profile);
      if (tcpForwarding) {
        env.add(map("name", "DOCKER_MODS", "value", "linuxserver/mods:openssh-server-ssh-tunnel"));
      }
      sshd.put("env", env);
      sshd.put("securityContext", map("allowPrivilegeEscalation", false));
    }
    List<Object> volumes = list(Manifests.nfsVolume(share));
    if (!profile.isClassic()) {
      volumes.add(map("name", "keys", "secret", map("secretName", SECRET)));
    }
    KubeObject deployment =
        Manifests.deployment(context, DEPLOYMENT, "sshd", ROLE, false, list(sshd), volumes);
    KubeObject service =
        Manifests.nodePortService(
            context, SERVICE, "sshd", ROLE, "ssh", 22, profile.sshPort(), nodePort);
    return List.of(secret, deployment, service);
  }
}
