package dev.devkube.digitalocean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.squareup.moshi.Moshi;
import dev.devkube.FileShare;
import dev.devkube.FileShareSpec;
import dev.devkube.NotFoundException;
import dev.devkube.ProgressListener;
import dev.devkube.Volume;
import dev.devkube.VolumeSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Volumes, volume snapshots and NFS shares against DigitalOcean's contract: the paths and queries
 * of the operation files, request bodies that conform to their schemas, and the spec's examples
 * parsed without losing what the SDK exposes.
 */
class StorageContractTest {
  private DoServer server;
  private DigitalOcean cloud;
  private OpenApi openApi;

  @BeforeEach
  void start() throws Exception {
    openApi = OpenApi.load();
    server = new DoServer();
    cloud = server.provider();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      cloud.close();
      server.close();
    }
  }

  private String example(String folder, String file, String... path) throws Exception {
    Object node = openApi.yamlMap("../" + folder + "/" + file);
    for (String key : path) {
      node = ((Map<?, ?>) Objects.requireNonNull(node, key)).get(key);
    }
    return new Moshi.Builder().build().adapter(Object.class).toJson(node);
  }

  /** The spec's example of an active share, {@code {"share": ...}}. */
  private String activeShare() throws Exception {
    return example(
        "nfs",
        "responses/nfs_get.yml",
        "content",
        "application/json",
        "examples",
        "Active Share",
        "value");
  }

  private void assertConforms(RecordedRequest request, String operationFile) throws Exception {
    Object body = DoServer.json(DoServer.body(request));
    assertThat(openApi.validate(body, openApi.requestSchema(operationFile)))
        .as("request body %s against %s", body, operationFile)
        .isEmpty();
  }

  @Test
  void theSpecsVolumeExamplesParseAndFindAsksByNameAndRegion() throws Exception {
    server.enqueue(200, example("volumes", "examples.yml", "volumes_filtered_by_name", "value"));

    List<Volume> found = cloud.volumes().find("example", "nyc1");

    RecordedRequest request = server.take();
    assertThat(request.getUrl().encodedPath()).isEqualTo("/v2/volumes");
    assertThat(request.getUrl().queryParameter("name")).isEqualTo("example");
    assertThat(request.getUrl().queryParameter("region")).isEqualTo("nyc1");
    assertThat(found).isNotEmpty();
    Volume volume = found.get(0);
    assertThat(volume.id()).isNotBlank();
    assertThat(volume.region()).isEqualTo("nyc1");
    assertThat(volume.sizeGib()).isPositive();
    assertThat(volume.createdAt()).isNotNull();
  }

  @Test
  void aSnapshotRequestConformsAndItsAnswerParses() throws Exception {
    server.enqueue(
        201,
        example(
            "volumes",
            "responses/volumeSnapshot.yml",
            "content",
            "application/json",
            "schema",
            "example"));

    VolumeSnapshot snapshot =
        cloud.volumes().snapshot("7724db7c-e098-11e5-b522-000f53304e51", "keep");

    RecordedRequest request = server.take();
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getUrl().encodedPath())
        .isEqualTo("/v2/volumes/7724db7c-e098-11e5-b522-000f53304e51/snapshots");
    assertConforms(request, "../volumes/volumeSnapshots_create.yml");
    assertThat(snapshot.id()).isEqualTo("8fa70202-873f-11e6-8b68-000f533176b1");
    assertThat(snapshot.regions()).isNotEmpty();
  }

  @Test
  void aShareIsCreatedFromAValidSpecGrownAndDeletedInItsRegion() throws Exception {
    // The create answer's shape is the get answer's ({"share": ...}); the spec gives an example for
    // the latter only.
    server.enqueue(201, activeShare());

    FileShare created =
        cloud
            .fileShares()
            .create(
                FileShareSpec.named("sammy-share-drive")
                    .region("atl1")
                    .sizeGib(1024)
                    .vpc("796c6fe3-2a1d-4da2-9f3e-38239827dc91"));

    RecordedRequest create = server.take();
    assertThat(create.getUrl().encodedPath()).isEqualTo("/v2/nfs");
    assertConforms(create, "../nfs/nfs_create.yml");
    assertThat(created.name()).isEqualTo("sammy-share-drive");

    server.enqueue(201, "{\"action\":{}}");
    cloud.fileShares().resize(created, created.sizeGib() + 100);
    RecordedRequest resize = server.take();
    assertThat(resize.getUrl().encodedPath()).isEqualTo("/v2/nfs/" + created.id() + "/actions");
    assertConforms(resize, "../nfs/nfs_actions_create.yml");
    assertThat(DoServer.json(DoServer.body(resize)))
        .containsEntry("type", "resize")
        .containsEntry("params", Map.of("size_gib", (double) (created.sizeGib() + 100)));

    server.enqueue(201, "{\"action\":{}}");
    cloud.fileShares().snapshot(created, "daily-backup");
    RecordedRequest snapshot = server.take();
    assertConforms(snapshot, "../nfs/nfs_actions_create.yml");
    assertThat(DoServer.json(DoServer.body(snapshot)))
        .containsEntry("type", "snapshot")
        .containsEntry("params", Map.of("name", "daily-backup"));

    server.enqueue(204, "");
    cloud.fileShares().delete(created);
    RecordedRequest delete = server.take();
    assertThat(delete.getMethod()).isEqualTo("DELETE");
    assertThat(delete.getUrl().queryParameter("region")).isEqualTo(created.region());

    assertThatThrownBy(() -> cloud.fileShares().resize(created, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shares do not shrink");
  }

  @Test
  void anActiveSharesExampleParsesWithItsHostAndPathAndAwaitReturnsIt() throws Exception {
    String active = activeShare();
    server.enqueue(200, active);

    FileShare share =
        cloud
            .fileShares()
            .awaitActive(
                new FileShare(
                    "baf4827c-6fa9-456f-9dbd-9ddfcacd0720",
                    "sammy-share-drive",
                    "atl1",
                    1024,
                    "CREATING",
                    null,
                    null,
                    List.of(),
                    null),
                Duration.ofMinutes(1),
                ProgressListener.none());

    RecordedRequest get = server.take();
    assertThat(get.getUrl().encodedPath())
        .isEqualTo("/v2/nfs/baf4827c-6fa9-456f-9dbd-9ddfcacd0720");
    assertThat(get.getUrl().queryParameter("region")).isEqualTo("atl1");
    assertThat(share.active()).isTrue();
    assertThat(share.host()).isEqualTo("10.128.32.2");
    assertThat(share.mountPath()).isEqualTo("/123456/your-nfs-share-uuid");
    assertThat(share.vpcIds()).containsExactly("796c6fe3-2a1d-4da2-9f3e-38239827dc91");
  }

  @Test
  void specsAreCheckedBeforeAnythingIsSentAndAMissingVolumeIsNotFound() throws Exception {
    assertThatThrownBy(() -> FileShareSpec.named("x").sizeGib(10))
        .hasMessage("file share size 10 GiB is below the smallest share, 50 GiB");
    assertThatThrownBy(() -> cloud.fileShares().create(FileShareSpec.named("x").region("atl1")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("call vpc(cluster.vpcId())");
    assertThatThrownBy(() -> FileShareSpec.named("Bad_Name"))
        .hasMessageStartingWith("file share name \"Bad_Name\" is not usable");

    server.enqueue(
        404,
        "{\"id\":\"not_found\",\"message\":\"The resource you were accessing could not be found.\"}");
    assertThatThrownBy(() -> cloud.volumes().get("missing"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("get volume missing failed: The resource you were accessing");
  }
}
