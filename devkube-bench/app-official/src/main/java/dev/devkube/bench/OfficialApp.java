package dev.devkube.bench;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.Config;
import io.kubernetes.client.util.Watch;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/** The workloads with the official io.kubernetes:client-java. */
public final class OfficialApp implements Workload.Client {
  private final ApiClient client;
  private final CoreV1Api api;

  private OfficialApp(Path kubeconfig) throws Exception {
    this.client = Config.fromConfig(kubeconfig.toString());
    this.api = new CoreV1Api(client);
  }

  public static void main(String[] args) throws Exception {
    Workload.main("official", args, OfficialApp::new);
  }

  @Override
  public int list(String namespace) throws Exception {
    return api.listNamespacedConfigMap(namespace).execute().getItems().size();
  }

  @Override
  public Object create(String namespace, String name, String value) throws Exception {
    return api.createNamespacedConfigMap(
            namespace,
            new V1ConfigMap()
                .metadata(new V1ObjectMeta().name(name).namespace(namespace))
                .data(Map.of("v", value)))
        .execute();
  }

  @Override
  public void get(String namespace, String name) throws Exception {
    api.readNamespacedConfigMap(name, namespace).execute();
  }

  @Override
  public void replace(Object created, String value) throws Exception {
    V1ConfigMap changed = ((V1ConfigMap) created).data(Map.of("v", value));
    api.replaceNamespacedConfigMap(
            changed.getMetadata().getName(), changed.getMetadata().getNamespace(), changed)
        .execute();
  }

  @Override
  public void delete(String namespace, String name) throws Exception {
    api.deleteNamespacedConfigMap(name, namespace).execute();
  }

  @Override
  public void watch(String namespace, LongConsumer onTimestamp) throws Exception {
    // Watches need a client without a read timeout, as the client's own examples do.
    ApiClient watching =
        client.setHttpClient(
            client.getHttpClient().newBuilder().readTimeout(0, TimeUnit.SECONDS).build());
    Watch<V1ConfigMap> watch =
        Watch.createWatch(
            watching,
            new CoreV1Api(watching).listNamespacedConfigMap(namespace).watch(true).buildCall(null),
            new TypeToken<Watch.Response<V1ConfigMap>>() {}.getType());
    Thread reader =
        new Thread(
            () -> {
              for (Watch.Response<V1ConfigMap> event : watch) {
                Map<String, String> data = event.object == null ? null : event.object.getData();
                if (data != null && data.get("ts") != null) {
                  onTimestamp.accept(Long.parseLong(data.get("ts")));
                }
              }
            },
            "official-watch");
    reader.setDaemon(true);
    reader.start();
  }

  @Override
  public void close() {
    // ApiClient holds nothing that must be closed; the JVM exits after the run.
  }
}
