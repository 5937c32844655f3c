package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.map;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An ssh jump server on the share: a Secret with the authorized keys, a Secret with the server's
 * host key (made once per environment, so the key a user checked stays the key), a ConfigMap with
 * the server's settings, an sshd Deployment (not privileged, sshd itself runs as the share's owner:
 * the kubelet mounts the share) with the share at {@code /mnt/nfs}, and a NodePort Service (22 to
 * 30022 by default). Immutable.
 *
 * <p>With the default image, both files are mounted where the image looks for them
 * (docs/images.md): the settings in {@code /config/sshd/sshd_config.d}, which the image includes
 * ahead of its own (sshd keeps the first value it reads), and the host key in {@code
 * /config/ssh_host_keys}, which stops the image from making new keys at every start. Nothing is
 * downloaded when the container starts.
 */
public final class SshServer {
  static final String SECRET = "sshkey";
  static final String DEPLOYMENT = "sshd";
  static final String SERVICE = "sshd-service";
  static final String ROLE = "sshd-server";
  static final String HOST_KEYS = "sshd-host-keys";
  static final String CONFIG = "sshd-config";
  static final String HOST_KEY_FILE = "ssh_host_ed25519_key";

  /** Where the image reads extra settings and its host keys. */
  static final String CONFIG_DIR = "/config/sshd/sshd_config.d";

  static final String HOST_KEY_DIR = "/config/ssh_host_keys";

  private final int nodePort;
  private final boolean tcpForwarding;

  private SshServer(int nodePort, boolean tcpForwarding) {
    this.nodePort = nodePort;
    this.tcpForwarding = tcpForwarding;
  }

  /** The ssh server with the defaults: node port 30022, no TCP forwarding unless needed. */
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

  /** The node port sshd listens on. */
  public int nodePort() {
    return nodePort;
  }

  /** Whether sshd forwards TCP ({@code ssh -L}, {@code ssh -J}). */
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

  /**
   * The sshd settings devkube mounts: key-only, no root, no agent or X11 forwarding, no tunnels, no
   * listening ports for clients, and TCP forwarding ({@code ssh -L}, {@code ssh -J}) as asked.
   */
  static String settings(boolean tcpForwarding) {
    return String.join(
        "\n",
        "# Written by devkube; sshd keeps the first value it reads, and this file is read first.",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PermitRootLogin no",
        "PermitEmptyPasswords no",
        "AllowTcpForwarding " + (tcpForwarding ? "local" : "no"),
        "GatewayPorts no",
        "PermitTunnel no",
        "AllowAgentForwarding no",
        "X11Forwarding no",
        "");
  }

  /**
   * The ConfigMap with the ssh server's settings ({@code jump.conf}) and the toolbox's ({@code
   * toolbox.conf}, no forwarding). No I/O.
   */
  KubeObject config(RecipeContext context) {
    return KubeObject.of("v1", "ConfigMap", CONFIG)
        .namespace(context.namespace())
        .set("metadata.labels", context.labels("sshd"))
        .set("data", map("jump.conf", settings(tcpForwarding), "toolbox.conf", settings(false)));
  }

  /**
   * The host key Secret: a new ed25519 key, kept with the data so that a re-adopted environment
   * keeps its key. Applied only when missing (never replaced). No I/O.
   */
  static KubeObject hostKeySecret(RecipeContext context) {
    HostKeys.Generated key = HostKeys.generate("devkube-" + context.environment());
    return Manifests.secret(
            context,
            HOST_KEYS,
            "sshd",
            Map.of(HOST_KEY_FILE, key.privateKey(), HOST_KEY_FILE + ".pub", key.publicKey() + "\n"))
        .label(RecipeContext.KEEP_WITH_DATA, "true");
  }

  /**
   * Mounts the settings ({@code configKey} of the ConfigMap) and the host key into a container of
   * the default image, and adds their volumes; the pod's {@code fsGroup} lets the unprivileged sshd
   * read the key, which stays owned by root (sshd refuses a key its own user owns with group
   * access, not one root owns).
   */
  static void mountSshdFiles(
      Map<String, Object> container, List<Object> volumes, String configKey) {
    @SuppressWarnings("unchecked")
    List<Object> mounts =
        (List<Object>) java.util.Objects.requireNonNull(container.get("volumeMounts"));
    mounts.add(mount("sshd-config", CONFIG_DIR, true));
    mounts.add(mount("host-keys", HOST_KEY_DIR, true));
    volumes.add(
        map(
            "name",
            "sshd-config",
            "configMap",
            map("name", CONFIG, "items", list(map("key", configKey, "path", "devkube.conf")))));
    volumes.add(
        map(
            "name",
            "host-keys",
            "secret",
            map(
                "secretName",
                HOST_KEYS,
                "defaultMode",
                0440,
                "items",
                list(
                    map("key", HOST_KEY_FILE, "path", HOST_KEY_FILE),
                    map("key", HOST_KEY_FILE + ".pub", "path", HOST_KEY_FILE + ".pub")))));
  }

  /**
   * The ssh server's objects.
   *
   * @param hostKeys Secret {@code sshd-host-keys} with a new host key, created only when missing
   *     (never replaced: the key users checked stays the key); null in the classic profile, whose
   *     image makes its own at every start
   * @param authorizedKeys Secret {@code sshkey} with the public keys that may log in
   * @param settings ConfigMap {@code sshd-config}; null in the classic profile
   * @param deployment Deployment {@code sshd}
   * @param service its NodePort Service {@code sshd-service}
   */
  public record Objects(
      @Nullable KubeObject hostKeys,
      KubeObject authorizedKeys,
      @Nullable KubeObject settings,
      KubeObject deployment,
      KubeObject service) {
    /** In the order they are applied. */
    public List<KubeObject> all() {
      List<KubeObject> all = new ArrayList<>();
      if (hostKeys != null) {
        all.add(hostKeys);
      }
      all.addAll(applied());
      return all;
    }

    /** What a deploy applies every time: all but the host keys. */
    public List<KubeObject> applied() {
      List<KubeObject> applied = new ArrayList<>();
      applied.add(authorizedKeys);
      if (settings != null) {
        applied.add(settings);
      }
      applied.add(deployment);
      applied.add(service);
      return applied;
    }
  }

  /**
   * The authorized keys Secret, a new host key Secret and the settings ConfigMap (default profile),
   * the server and its Service. No I/O.
   */
  public Objects objects(RecipeContext context, NfsShare share, List<String> authorizedKeys) {
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
      List<Object> mounts =
          (List<Object>) java.util.Objects.requireNonNull(sshd.get("volumeMounts"));
      mounts.add(mount("keys", "/keys", true));
      sshd.put("env", keyLoginEnv(profile));
      sshd.put("securityContext", map("allowPrivilegeEscalation", false));
    }
    List<Object> volumes = list(Manifests.nfsVolume(share));
    if (!profile.isClassic()) {
      volumes.add(map("name", "keys", "secret", map("secretName", SECRET)));
      mountSshdFiles(sshd, volumes, "jump.conf");
    }
    KubeObject deployment =
        Manifests.deployment(context, DEPLOYMENT, "sshd", ROLE, false, list(sshd), volumes);
    if (!profile.isClassic()) {
      deployment =
          deployment.set("spec.template.spec.securityContext", map("fsGroup", IdeServer.SHARE_UID));
    }
    KubeObject service =
        Manifests.nodePortService(
            context, SERVICE, "sshd", ROLE, "ssh", 22, profile.sshPort(), nodePort);
    return profile.isClassic()
        ? new Objects(null, secret, null, deployment, service)
        : new Objects(hostKeySecret(context), secret, config(context), deployment, service);
  }
}
