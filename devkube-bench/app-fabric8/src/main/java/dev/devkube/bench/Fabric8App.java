package dev.devkube.bench;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** The workloads with fabric8 kubernetes-client. */
public final class Fabric8App implements Workload.Client {
  private final KubernetesClient client;

  private Fabric8App(Path kubeconfig) throws Exception {
    Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
    // Watch over a plain HTTP stream, as the other clients do, instead of trying a WebSocket first.
    config.setOnlyHttpWatches(true);
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  public static void main(String[] args) throws Exception {
    Workload.main("fabric8", args, Fabric8App::new);
  }

  @Override
  public int list(String namespace) {
    return client.configMaps().inNamespace(namespace).list().getItems().size();
  }

  @Override
  public Object create(String namespace, String name, String value) {
    return client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .endMetadata()
                .addToData("v", value)
                .build())
        .create();
  }

  @Override
  public void get(String namespace, String name) {
    if (client.configMaps().inNamespace(namespace).withName(name).get() == null) {
      throw new IllegalStateException(name + " not found");
    }
  }

  @Override
  public void replace(Object created, String value) {
    ConfigMap changed = new ConfigMapBuilder((ConfigMap) created).addToData("v", value).build();
    client
        .configMaps()
        .inNamespace(changed.getMetadata().getNamespace())
        .resource(changed)
        .update();
  }

  @Override
  public void delete(String namespace, String name) {
    client.configMaps().inNamespace(namespace).withName(name).delete();
  }

  @Override
  public void watch(String namespace, LongConsumer onTimestamp) {
    client
        .configMaps()
        .inNamespace(namespace)
        .watch(
            new Watcher<ConfigMap>() {
              @Override
              public void eventReceived(Action action, ConfigMap resource) {
                String ts = resource.getData() == null ? null : resource.getData().get("ts");
                if (ts != null) {
                  onTimestamp.accept(Long.parseLong(ts));
                }
              }

              @Override
              public void onClose(WatcherException cause) {
                // the run ends with the JVM
              }
            });
  }

  @Override
  public void close() {
    client.close();
  }
}
