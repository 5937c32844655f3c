package dev.devkube.recipes;

import java.util.Objects;

/**
 * The images of a development environment, and whether it speaks like the original scripts. {@link
 * #DEFAULT} pins images whose tags are shown to exist (docs/images.md gives the evidence for each);
 * {@link #CLASSIC} keeps the original's images (unpinned, as they were: CentOS 7 images unchanged
 * since 2016-2017), its node ports and its messages, for people migrating from the scripts. Both
 * use the original's object names and labels.
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
          "registry.k8s.io/e2e-test-images/volume/nfs:1.4",
          "/exports",
          "lscr.io/linuxserver/openssh-server:10.2_p1-r0-ls229",
          "dev",
          2222,
          "nginx:1.30.4-alpine");

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
