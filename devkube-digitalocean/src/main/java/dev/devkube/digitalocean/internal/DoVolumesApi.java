package dev.devkube.digitalocean.internal;

import dev.devkube.digitalocean.internal.DoStorageJson.CreateSnapshot;
import dev.devkube.digitalocean.internal.DoStorageJson.SnapshotEnvelope;
import dev.devkube.digitalocean.internal.DoStorageJson.SnapshotList;
import dev.devkube.digitalocean.internal.DoStorageJson.VolumeEnvelope;
import dev.devkube.digitalocean.internal.DoStorageJson.VolumeList;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.DELETE;
import retrofit2.http.GET;
import retrofit2.http.POST;
import retrofit2.http.Path;
import retrofit2.http.Query;
import retrofit2.http.Url;

/**
 * DigitalOcean's v2 Block Storage endpoints (volumes and their snapshots), per the OpenAPI files.
 */
interface DoVolumesApi {
  @GET("v2/volumes")
  Call<VolumeList> listVolumes(
      @Query("per_page") int perPage,
      @Query("name") @Nullable String name,
      @Query("region") @Nullable String region);

  /** A later page of volumes, at the {@code links.pages.next} URL of the page before. */
  @GET
  Call<VolumeList> listVolumesAt(@Url String nextPage);

  @GET("v2/volumes/{volume_id}")
  Call<VolumeEnvelope> getVolume(@Path("volume_id") String id);

  @DELETE("v2/volumes/{volume_id}")
  Call<Void> deleteVolume(@Path("volume_id") String id);

  @POST("v2/volumes/{volume_id}/snapshots")
  Call<SnapshotEnvelope> createSnapshot(@Path("volume_id") String id, @Body CreateSnapshot body);

  @GET("v2/volumes/{volume_id}/snapshots")
  Call<SnapshotList> listSnapshots(@Path("volume_id") String id, @Query("per_page") int perPage);

  @DELETE("v2/snapshots/{snapshot_id}")
  Call<Void> deleteSnapshot(@Path("snapshot_id") String id);
}
