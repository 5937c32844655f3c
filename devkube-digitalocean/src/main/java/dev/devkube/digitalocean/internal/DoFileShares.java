package dev.devkube.digitalocean.internal;

import dev.devkube.FileShare;
import dev.devkube.FileShareSpec;
import dev.devkube.FileShares;
import dev.devkube.Poll;
import dev.devkube.ProgressListener;
import dev.devkube.digitalocean.internal.DoStorageJson.CreateShare;
import dev.devkube.digitalocean.internal.DoStorageJson.ShareAction;
import dev.devkube.digitalocean.internal.DoStorageJson.ShareJson;
import dev.devkube.internal.Validation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** DigitalOcean's Network File Storage: managed NFS shares ({@code /v2/nfs}). */
public final class DoFileShares implements FileShares {
  private final DoClient client;

  public DoFileShares(DoClient client) {
    this.client = client;
  }

  @Override
  public FileShare create(FileShareSpec spec) {
    Objects.requireNonNull(spec, "spec").validate();
    CreateShare body = new CreateShare();
    body.name = spec.name();
    body.sizeGib = spec.sizeGib();
    body.region = spec.region();
    body.vpcIds = spec.vpcIds();
    String action = "create file share " + spec.name();
    return share(
        DoClusters.require(
            client.call(client.nfs().createShare(body), action).share, "share", action),
        action);
  }

  @Override
  public FileShare get(String id, String region) {
    Validation.requireNonBlank("file share id", id);
    Validation.requireNonBlank("region", region);
    String action = "get file share " + id;
    return share(
        DoClusters.require(
            client.call(client.nfs().getShare(id, region), action).share, "share", action),
        action);
  }

  @Override
  public List<FileShare> list(@Nullable String region) {
    String action = region == null ? "list file shares" : "list file shares in " + region;
    List<FileShare> shares = new ArrayList<>();
    for (ShareJson json :
        DoModel.orEmpty(client.call(client.nfs().listShares(region), action).shares)) {
      shares.add(share(json, action));
    }
    return shares;
  }

  @Override
  public Optional<FileShare> find(String name, String region) {
    Validation.requireNonBlank("file share name", name);
    return list(region).stream().filter(s -> s.name().equals(name)).findFirst();
  }

  @Override
  public void resize(FileShare share, int sizeGib) {
    if (sizeGib <= share.sizeGib()) {
      throw new IllegalArgumentException(
          "file share "
              + share.name()
              + " has "
              + share.sizeGib()
              + " GiB; a resize must grow it (shares do not shrink), not to "
              + sizeGib
              + " GiB");
    }
    act(share, "resize", Map.of("size_gib", sizeGib));
  }

  @Override
  public void snapshot(FileShare share, String name) {
    Validation.requireNonBlank("snapshot name", name);
    act(share, "snapshot", Map.of("name", name));
  }

  /** Submits a share action ({@code POST /v2/nfs/{id}/actions}) of {@code type}. */
  private void act(FileShare share, String type, Map<String, Object> params) {
    ShareAction body = new ShareAction();
    body.type = type;
    body.region = share.region();
    body.params = params;
    client.callNoBody(
        client.nfs().shareAction(share.id(), body), type + " file share " + share.name());
  }

  @Override
  public void delete(FileShare share) {
    client.callNoBody(
        client.nfs().deleteShare(share.id(), share.region()), "delete file share " + share.name());
  }

  @Override
  public FileShare awaitActive(FileShare share, Duration timeout, ProgressListener listener) {
    return client
        .waiter(timeout)
        .await(
            "file share " + share.name() + " to be active",
            () -> {
              FileShare now = get(share.id(), share.region());
              if (now.active()) {
                return Poll.done(now);
              }
              if (now.status().equals("FAILED") || now.status().equals("DELETED")) {
                return Poll.failed(now.status(), "DigitalOcean reports the share " + now.status());
              }
              return Poll.<FileShare>pending(now.status()).notBefore(client.rateLimitDelay());
            },
            listener);
  }

  static FileShare share(ShareJson json, String action) {
    return new FileShare(
        DoClusters.require(json.id, "share id", action),
        DoClusters.require(json.name, "share name", action),
        DoModel.orEmpty(json.region),
        json.sizeGib == null ? 0 : json.sizeGib,
        json.status == null ? "UNKNOWN" : json.status,
        json.host == null || json.host.isBlank() ? null : json.host,
        json.mountPath == null || json.mountPath.isBlank() ? null : json.mountPath,
        DoModel.orEmpty(json.vpcIds),
        DoModel.instant(json.createdAt));
  }
}
