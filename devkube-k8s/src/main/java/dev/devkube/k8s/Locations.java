package dev.devkube.k8s;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Where a client looks for its cluster, as kubectl looks: kubeconfig files, a pod, loopback. */
final class Locations {
  private Locations() {}

  /** The files of {@code KUBECONFIG} (its value given), else {@code ~/.kube/config}. */
  static List<Path> kubeconfigFiles(@Nullable String kubeconfigVariable, Path home) {
    if (kubeconfigVariable != null && !kubeconfigVariable.isBlank()) {
      List<Path> files = new ArrayList<>();
      for (String part : kubeconfigVariable.split(Pattern.quote(File.pathSeparator), -1)) {
        if (!part.isBlank()) {
          files.add(Path.of(part));
        }
      }
      return files;
    }
    return List.of(home.resolve(".kube").resolve("config"));
  }

  /** No KUBECONFIG, no ~/.kube/config, and a pod's service address: kubectl's in-cluster case. */
  static boolean inPodWithoutKubeconfig(Map<String, String> environment, List<Path> files) {
    String kubeconfig = environment.get("KUBECONFIG");
    String host = environment.get("KUBERNETES_SERVICE_HOST");
    return (kubeconfig == null || kubeconfig.isBlank())
        && files.stream().noneMatch(Files::isRegularFile)
        && host != null
        && !host.isBlank();
  }

  /** localhost, 127.0.0.0/8 or ::1, by name, never by a lookup. */
  static boolean isLoopback(@Nullable String host) {
    if (host == null) {
      return false;
    }
    String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return name.equalsIgnoreCase("localhost")
        || name.matches("127(\\.\\d{1,3}){3}")
        || name.equals("::1")
        || name.equals("0:0:0:0:0:0:0:1");
  }

  /** A pod's service account: its API server address, CA, token file and namespace. */
  static KubeClient.Builder inCluster(Map<String, String> environment, Path serviceAccount) {
    String host = environment.get("KUBERNETES_SERVICE_HOST");
    String port = environment.getOrDefault("KUBERNETES_SERVICE_PORT", "443");
    if (host == null || host.isBlank()) {
      throw new IllegalStateException("not running in a pod: KUBERNETES_SERVICE_HOST is not set");
    }
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    KubeClient.Builder builder =
        KubeClient.builder()
            .server("https://" + hostPart + ":" + port)
            .caCertificateFile(serviceAccount.resolve("ca.crt"))
            .tokenFile(serviceAccount.resolve("token"));
    Path namespaceFile = serviceAccount.resolve("namespace");
    if (Files.isRegularFile(namespaceFile)) {
      builder.namespace(KubeClient.read(namespaceFile).trim());
    }
    return builder;
  }
}
