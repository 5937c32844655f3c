package dev.devkube.recipes;

import java.util.Objects;

/**
 * The images of a development environment, and whether it speaks like the original scripts. {@link
 * #DEFAULT} pins maintained images; {@link #CLASSIC} keeps the original's images (unpinned, as they
 * were) and its messages, for people migrating from the scripts. Both use the original's object
 * names, ports and labels.
 *
 * @param name the profile's name
 * @param nfsImage the NFS server image
 * @param nfsExportPath where the NFS server image exports from (the claim is mounted there)
 * @param sshImage the ssh server image
 * @param sshUser the user to log in as
 * @param sshPort the port the ssh server listens on in its container
 * @param webImage the web server image
 */
public record Profile(
    String name,
    String nfsImage,
    String nfsExportPath,
    String sshImage,
    String sshUser,
    int sshPort,
    String webImage) {

  /** Maintained, pinned images; ssh as an unprivileged user. */
  public static final Profile DEFAULT =
      new Profile(
          "default",
          "registry.k8s.io/volume-nfs:0.8",
          "/exports",
          "lscr.io/linuxserver/openssh-server:9.9_p2-r0-ls187",
          "dev",
          2222,
          "nginx:1.27.3-alpine");

  /** The original scripts' images (unpinned, as they were). */
  public static final Profile CLASSIC =
      new Profile(
          "classic",
          "janeczku/nfs-ganesha:latest",
          "/data/nfs",
          "kubernetesio/sshd-jumpserver",
          "root",
          22,
          "nginx:latest");

  public Profile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(nfsImage, "nfsImage");
    Objects.requireNonNull(nfsExportPath, "nfsExportPath");
    Objects.requireNonNull(sshImage, "sshImage");
    Objects.requireNonNull(sshUser, "sshUser");
    Objects.requireNonNull(webImage, "webImage");
  }

  boolean isClassic() {
    return name.equals(CLASSIC.name());
  }
}
