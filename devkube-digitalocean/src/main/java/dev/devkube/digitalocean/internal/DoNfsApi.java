package dev.devkube.digitalocean.internal;

import dev.devkube.digitalocean.internal.DoStorageJson.CreateShare;
import dev.devkube.digitalocean.internal.DoStorageJson.ShareAction;
import dev.devkube.digitalocean.internal.DoStorageJson.ShareEnvelope;
import dev.devkube.digitalocean.internal.DoStorageJson.ShareList;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.DELETE;
import retrofit2.http.GET;
import retrofit2.http.POST;
import retrofit2.http.Path;
import retrofit2.http.Query;

/** DigitalOcean's v2 Network File Storage endpoints ({@code /v2/nfs}), per the OpenAPI files. */
interface DoNfsApi {
  @POST("v2/nfs")
  Call<ShareEnvelope> createShare(@Body CreateShare body);

  @GET("v2/nfs")
  Call<ShareList> listShares(@Query("region") @Nullable String region);

  @GET("v2/nfs/{nfs_id}")
  Call<ShareEnvelope> getShare(@Path("nfs_id") String id, @Query("region") String region);

  @DELETE("v2/nfs/{nfs_id}")
  Call<Void> deleteShare(@Path("nfs_id") String id, @Query("region") String region);

  @POST("v2/nfs/{nfs_id}/actions")
  Call<Void> shareAction(@Path("nfs_id") String id, @Body ShareAction body);
}
