package dev.devkube.digitalocean.internal;

import dev.devkube.digitalocean.internal.DoJson.AssociatedJson;
import dev.devkube.digitalocean.internal.DoJson.ClusterEnvelope;
import dev.devkube.digitalocean.internal.DoJson.ClusterList;
import dev.devkube.digitalocean.internal.DoJson.CreateCluster;
import dev.devkube.digitalocean.internal.DoJson.CredentialsJson;
import dev.devkube.digitalocean.internal.DoJson.DestroySelective;
import dev.devkube.digitalocean.internal.DoJson.NodePoolEnvelope;
import dev.devkube.digitalocean.internal.DoJson.NodePoolJson;
import dev.devkube.digitalocean.internal.DoJson.NodePoolList;
import dev.devkube.digitalocean.internal.DoJson.OptionsEnvelope;
import dev.devkube.digitalocean.internal.DoJson.UpdateCluster;
import dev.devkube.digitalocean.internal.DoJson.UpdateNodePool;
import dev.devkube.digitalocean.internal.DoJson.Upgrade;
import dev.devkube.digitalocean.internal.DoJson.Upgrades;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.http.Body;
import retrofit2.http.DELETE;
import retrofit2.http.GET;
import retrofit2.http.HTTP;
import retrofit2.http.POST;
import retrofit2.http.PUT;
import retrofit2.http.Path;
import retrofit2.http.Query;
import retrofit2.http.Url;

/** DigitalOcean's v2 Kubernetes endpoints, as the OpenAPI files describe them. */
interface DoApi {
  String CLUSTER = "v2/kubernetes/clusters/{cluster_id}";

  @GET("v2/kubernetes/clusters")
  Call<ClusterList> listClusters(@Query("per_page") int perPage);

  /** A later page of clusters, at the {@code links.pages.next} URL of the page before. */
  @GET
  Call<ClusterList> listClustersAt(@Url String nextPage);

  @POST("v2/kubernetes/clusters")
  Call<ClusterEnvelope> createCluster(@Body CreateCluster body);

  @GET(CLUSTER)
  Call<ClusterEnvelope> getCluster(@Path("cluster_id") String id);

  @PUT(CLUSTER)
  Call<ClusterEnvelope> updateCluster(@Path("cluster_id") String id, @Body UpdateCluster body);

  @DELETE(CLUSTER)
  Call<Void> deleteCluster(@Path("cluster_id") String id);

  @GET(CLUSTER + "/destroy_with_associated_resources")
  Call<AssociatedJson> listAssociatedResources(@Path("cluster_id") String id);

  @HTTP(
      method = "DELETE",
      path = CLUSTER + "/destroy_with_associated_resources/selective",
      hasBody = true)
  Call<Void> destroySelective(@Path("cluster_id") String id, @Body DestroySelective body);

  @DELETE(CLUSTER + "/destroy_with_associated_resources/dangerous")
  Call<Void> destroyDangerous(@Path("cluster_id") String id);

  @GET(CLUSTER + "/kubeconfig")
  Call<ResponseBody> kubeconfig(
      @Path("cluster_id") String id, @Query("expiry_seconds") @Nullable Long expirySeconds);

  @GET(CLUSTER + "/credentials")
  Call<CredentialsJson> credentials(
      @Path("cluster_id") String id, @Query("expiry_seconds") @Nullable Long expirySeconds);

  @GET(CLUSTER + "/upgrades")
  Call<Upgrades> upgrades(@Path("cluster_id") String id);

  @POST(CLUSTER + "/upgrade")
  Call<Void> upgrade(@Path("cluster_id") String id, @Body Upgrade body);

  @GET(CLUSTER + "/node_pools")
  Call<NodePoolList> listNodePools(@Path("cluster_id") String id);

  @POST(CLUSTER + "/node_pools")
  Call<NodePoolEnvelope> addNodePool(@Path("cluster_id") String id, @Body NodePoolJson body);

  @PUT(CLUSTER + "/node_pools/{node_pool_id}")
  Call<NodePoolEnvelope> updateNodePool(
      @Path("cluster_id") String id,
      @Path("node_pool_id") String poolId,
      @Body UpdateNodePool body);

  @DELETE(CLUSTER + "/node_pools/{node_pool_id}")
  Call<Void> deleteNodePool(@Path("cluster_id") String id, @Path("node_pool_id") String poolId);

  @GET("v2/kubernetes/options")
  Call<OptionsEnvelope> options();
}
