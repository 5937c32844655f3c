package dev.devkube.bench;

import dev.devkube.k8s.KubeClient;
import dev.devkube.k8s.KubeObject;
import dev.devkube.k8s.WatchEvent;
import java.nio.file.Path;
import java.util.function.LongConsumer;

/** The workloads with devkube-k8s. */
public final class DevkubeApp implements Workload.Client {
  private final KubeClient kube;

  private DevkubeApp(Path kubeconfig) {
    this.kube = KubeClient.fromKubeconfig(kubeconfig, null);
  }

  public static void main(String[] args) throws Exception {
    Workload.main("devkube", args, DevkubeApp::new);
  }

  private static KubeObject configMap(String namespace, String name) {
    return KubeObject.of("v1", "ConfigMap", name).namespace(namespace);
  }

  @Override
  public int list(String namespace) {
    int count = 0;
    for (KubeObject ignored : kube.resources("v1", "ConfigMap").inNamespace(namespace).list()) {
      count++;
    }
    return count;
  }

  @Override
  public Object create(String namespace, String name, String value) {
    return kube.resource(configMap(namespace, name).set("data.v", value)).create();
  }

  @Override
  public void get(String namespace, String name) {
    if (kube.resource(configMap(namespace, name)).get().isEmpty()) {
      throw new IllegalStateException("ConfigMap " + namespace + "/" + name + " is missing");
    }
  }

  @Override
  public void replace(Object created, String value) {
    kube.resource(((KubeObject) created).set("data.v", value)).replace();
  }

  @Override
  public void delete(String namespace, String name) {
    kube.resource(configMap(namespace, name)).delete();
  }

  @Override
  public void watch(String namespace, LongConsumer onTimestamp) throws Exception {
    java.util.concurrent.CountDownLatch synced = new java.util.concurrent.CountDownLatch(1);
    kube.resources("v1", "ConfigMap")
        .inNamespace(namespace)
        .watch(
            new dev.devkube.k8s.WatchListener() {
              @Override
              public void onEvent(WatchEvent event) {
                String ts = event.object().getString("data.ts");
                if (ts != null) {
                  onTimestamp.accept(Long.parseLong(ts));
                }
              }

              @Override
              public void onSynced() {
                synced.countDown();
              }
            });
    synced.await();
  }

  @Override
  public void close() {
    kube.close();
  }
}
