package dev.devkube.k8s;

import dev.devkube.internal.Validation;
import okhttp3.Call;

/**
 * One pod, for what only pods have: their logs. Made by {@link KubeClient#pod}.
 *
 * <pre>{@code
 * String log = kube.pod("dev", "nfs-7c9").logs();
 * }</pre>
 */
public final class KubePod {
  private final KubeClient client;
  private final String namespace;
  private final String name;

  KubePod(KubeClient client, String namespace, String name) {
    this.client = client;
    this.namespace = Validation.requireDnsLabel("namespace", namespace);
    this.name = Validation.requireDnsSubdomain("Pod name", name);
  }

  /** The whole log of the pod's only container. */
  public String logs() {
    return logs(LogOptions.all());
  }

  /** The log as {@code options} select it. */
  public String logs(LogOptions options) {
    return client
        .http()
        .sendText(
            "GET",
            client.http().url(path(), options.query(false)),
            "read the log of pod " + namespace + "/" + name);
  }

  /** The log as it is written, until closed or the container stops. */
  public LogStream followLogs(LogOptions options) {
    Call call = client.http().streamCall(client.http().url(path(), options.query(true)));
    return new LogStream(
        call, client.http().execute(call, "follow the log of pod " + namespace + "/" + name));
  }

  private String path() {
    return client.resolve("v1", "Pod").itemPath(namespace, name) + "/log";
  }

  @Override
  public String toString() {
    return "KubePod[" + namespace + "/" + name + "]";
  }
}
