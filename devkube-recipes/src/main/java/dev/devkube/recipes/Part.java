package dev.devkube.recipes;

/**
 * A part of a deployed {@link DevEnvironment}, for reaching inside it: {@link DevEnvironment#exec},
 * {@link DevEnvironment#shell}, {@link DevEnvironment#forward}.
 */
public enum Part {
  /** The NFS server that holds the share. */
  NFS(NfsServer.ROLE),
  /** The ssh jump server; the share is at {@code /mnt/nfs}. */
  SSH(SshServer.ROLE),
  /** nginx serving the share from {@code /usr/share/nginx/html}. */
  WEB(WebServer.ROLE),
  /** The browser IDE, with the share as its workspace. */
  IDE(IdeServer.ROLE),
  /** The toolbox, with the share at {@code /mnt/nfs}. */
  TOOLBOX(Toolbox.ROLE),
  POSTGRES(Postgres.ROLE),
  REDIS(Redis.ROLE);

  private final String role;

  Part(String role) {
    this.role = role;
  }

  /** The {@code role} label that selects the part's pods (with the environment's part-of label). */
  public String role() {
    return role;
  }
}
