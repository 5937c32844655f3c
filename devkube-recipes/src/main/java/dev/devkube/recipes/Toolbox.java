package dev.devkube.recipes;

import static dev.devkube.recipes.Manifests.container;
import static dev.devkube.recipes.Manifests.list;
import static dev.devkube.recipes.Manifests.map;
import static dev.devkube.recipes.Manifests.mount;
import static dev.devkube.recipes.Manifests.port;

import dev.devkube.k8s.KubeObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pod for debugging and syncing content: git, rsync, curl, dig/nslookup, ping and an ssh client,
 * the share at {@code /mnt/nfs}, writing as the share's owner. It runs its own sshd with the
 * environment's keys behind a ClusterIP Service, so it is reached through the ssh server as a jump
 * host ({@code ssh -J}), or through the API server ({@code env.shell(Part.TOOLBOX)}, {@code kubectl
 * exec}); nothing of it listens on the nodes. Immutable.
 */
public final class Toolbox {
  static final String DEPLOYMENT = "toolbox";
  static final String SERVICE = "toolbox-service";
  static final String ROLE = "toolbox";

  /** The Alpine packages installed when the pod starts. */
  public static final List<String> PACKAGES =
      List.of("git", "rsync", "curl", "bind-tools", "iputils", "openssh-client");

  private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9._+-]*");

  private final List<String> packages;

  private Toolbox(List<String> packages) {
    this.packages = List.copyOf(packages);
  }

  /** The toolbox with {@link #PACKAGES}. */
  public static Toolbox create() {
    return new Toolbox(PACKAGES);
  }

  /** Adds Alpine packages, such as {@code jq} or {@code postgresql-client}. */
  public Toolbox withPackages(String... more) {
    Set<String> all = new LinkedHashSet<>(packages);
    for (String name : more) {
      if (name == null || !PACKAGE.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "\""
                + name
                + "\" is not an Alpine package name: use lower-case"
                + " letters, digits and . _ + -, such as jq or postgresql-client");
      }
      all.add(name);
    }
    return new Toolbox(new ArrayList<>(all));
  }

  /** The packages the toolbox installs when it starts. */
  public List<String> packages() {
    return packages;
  }

  /**
   * The toolbox's objects.
   *
   * @param deployment Deployment {@code toolbox}
   * @param service its ClusterIP Service {@code toolbox-service}
   */
  public record Objects(KubeObject deployment, KubeObject service) {
    /** In the order they are applied. */
    public List<KubeObject> all() {
      return List.of(deployment, service);
    }
  }

  /**
   * The toolbox and its ClusterIP Service; it reads the authorized keys, its settings (no
   * forwarding) and the host key from the ssh server's Secrets and ConfigMap. No I/O.
   */
  public Objects objects(RecipeContext context, NfsShare share) {
    Profile profile = Profile.DEFAULT;
    Map<String, Object> toolbox =
        container(
            "toolbox",
            profile.sshImage(),
            list(port("ssh", profile.sshPort(), "containerPort")),
            list(mount(Manifests.SHARE_VOLUME, "/mnt/nfs", false), mount("keys", "/keys", true)),
            Manifests.tcpProbe(profile.sshPort()));
    List<Object> env = SshServer.keyLoginEnv(profile);
    env.add(map("name", "DOCKER_MODS", "value", "linuxserver/mods:universal-package-install"));
    env.add(map("name", "INSTALL_PACKAGES", "value", String.join("|", packages)));
    toolbox.put("env", env);
    toolbox.put("securityContext", map("allowPrivilegeEscalation", false));
    List<Object> volumes =
        list(
            Manifests.nfsVolume(share),
            map("name", "keys", "secret", map("secretName", SshServer.SECRET)));
    SshServer.mountSshdFiles(toolbox, volumes, "toolbox.conf");
    KubeObject deployment =
        Manifests.deployment(context, DEPLOYMENT, "toolbox", ROLE, false, list(toolbox), volumes)
            .set("spec.template.spec.securityContext", map("fsGroup", IdeServer.SHARE_UID));
    KubeObject service =
        Manifests.clusterIpService(context, SERVICE, "toolbox", ROLE, "ssh", 22, profile.sshPort());
    return new Objects(deployment, service);
  }

  @Override
  public String toString() {
    return "Toolbox" + packages;
  }
}
