package dev.devkube.testkit.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The scheduler and the kubelets: a pod whose claims are bound goes to a node and starts after the
 * start delay (or backs off pulling a failing image); one with a missing or unbound claim stays
 * Pending with the scheduler's event.
 */
final class Kubelet extends Reconciler {
  private final Duration podStartDelay;
  private final Set<String> failingImages;
  private final ScheduledExecutorService executor;
  private final Consumer<Runnable> submit;
  private int nextPodIp = 10;
  private int nextNode;

  private final java.util.function.Function<Map<String, @Nullable Object>, @Nullable String>
      mountRefusal;

  Kubelet(
      Store store,
      Kinds kinds,
      Duration podStartDelay,
      Set<String> failingImages,
      ScheduledExecutorService executor,
      Consumer<Runnable> submit,
      java.util.function.Function<Map<String, @Nullable Object>, @Nullable String> mountRefusal) {
    super(store, kinds);
    this.mountRefusal = mountRefusal;
    this.podStartDelay = podStartDelay;
    this.failingImages = failingImages;
    this.executor = executor;
    this.submit = submit;
  }

  /**
   * The scheduler: a pod whose claims are all bound goes to a node (round robin) and starts after
   * the start delay; one with a missing or unbound claim stays Pending, Unschedulable, with the
   * scheduler's event.
   */
  void schedule(@Nullable String namespace, String podName) {
    Kinds.Kind pods = kind("v1", "Pod");
    Map<String, @Nullable Object> pod = store.get(pods, namespace, podName);
    if (pod == null || Doc.string(pod, "spec.nodeName") != null) {
      if (pod != null && Doc.string(pod, "status.podIP") == null) {
        later(namespace, podName);
      }
      return;
    }
    String problem = unboundClaim(pod, namespace);
    List<Map<String, @Nullable Object>> nodes = store.list(kind("v1", "Node"), null, n -> true);
    if (problem == null && nodes.isEmpty()) {
      problem = "no nodes available to schedule pods";
    }
    if (problem != null) {
      String message =
          "0/"
              + nodes.size()
              + " nodes are available: "
              + problem
              + ". preemption: 0/"
              + nodes.size()
              + " nodes are available: "
              + nodes.size()
              + " Preemption is not helpful for scheduling.";
      Map<String, @Nullable Object> status = Doc.map(pod, "status");
      List<Object> conditions =
          List.of(
              Doc.obj(
                  "type",
                  "PodScheduled",
                  "status",
                  "False",
                  "reason",
                  "Unschedulable",
                  "message",
                  message,
                  "lastTransitionTime",
                  Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
      if (!Objects.equals(Doc.get(status, "conditions.0"), conditions.get(0))
          && !message.equals(
              Doc.get(
                  Doc.list(status, "conditions").stream().findFirst().orElse(null), "message"))) {
        Map<String, @Nullable Object> updated =
            store.modify(
                pods,
                namespace,
                podName,
                p -> {
                  if (Doc.string(p, "spec.nodeName") == null) {
                    Doc.map(p, "status").put("conditions", conditions);
                  }
                });
        if (updated != null) {
          event(updated, "Warning", "FailedScheduling", message, "default-scheduler");
        }
      }
      return;
    }
    Map<String, @Nullable Object> node = nodes.get(nextNode++ % nodes.size());
    String nodeName = String.valueOf(Doc.string(node, "metadata.name"));
    boolean[] bound = {false};
    Map<String, @Nullable Object> scheduled =
        store.modify(
            pods,
            namespace,
            podName,
            p -> {
              if (Doc.string(p, "spec.nodeName") != null) {
                return; // bound meanwhile
              }
              bound[0] = true;
              Doc.map(p, "spec").put("nodeName", nodeName);
              Doc.map(p, "status")
                  .put(
                      "conditions",
                      List.of(
                          Doc.obj(
                              "type",
                              "PodScheduled",
                              "status",
                              "True",
                              "lastTransitionTime",
                              Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())));
            });
    if (scheduled == null || !bound[0]) {
      return;
    }
    event(
        pod,
        "Normal",
        "Scheduled",
        "Successfully assigned " + namespace + "/" + podName + " to " + nodeName,
        "default-scheduler");
    later(namespace, podName);
  }

  void later(@Nullable String namespace, String podName) {
    // The scheduled task only hands the start to submit(), which cannot fail; nothing to await.
    @SuppressWarnings("FutureReturnValueIgnored")
    Object unused =
        executor.schedule(
            () -> submit.accept(() -> start(namespace, podName)),
            podStartDelay.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Why a pod cannot be scheduled for its claims, or null. */
  @Nullable String unboundClaim(Map<String, @Nullable Object> pod, @Nullable String namespace) {
    Kinds.Kind claims = kind("v1", "PersistentVolumeClaim");
    for (Object volume : Doc.list(pod, "spec.volumes")) {
      String claimName = (String) Doc.get(volume, "persistentVolumeClaim.claimName");
      if (claimName == null) {
        continue;
      }
      Map<String, @Nullable Object> claim = store.get(claims, namespace, claimName);
      if (claim == null) {
        return "persistentvolumeclaim \"" + claimName + "\" not found";
      }
      if (!"Bound".equals(Doc.string(claim, "status.phase"))) {
        return "pod has unbound immediate PersistentVolumeClaims";
      }
    }
    return null;
  }

  /** Schedules the pods of a namespace that wait for their claims. */
  void retryPending(@Nullable String namespace) {
    Kinds.Kind pods = kind("v1", "Pod");
    for (Map<String, @Nullable Object> pod :
        store.list(pods, namespace, p -> Doc.string(p, "spec.nodeName") == null)) {
      schedule(namespace, String.valueOf(Doc.string(pod, "metadata.name")));
    }
  }

  /**
   * The kubelet: pulls (or, for a failing image, backs off), then runs the containers; init
   * containers first, one after the other.
   */
  void start(@Nullable String namespace, String podName) {
    Kinds.Kind pods = kind("v1", "Pod");
    Map<String, @Nullable Object> pod = store.get(pods, namespace, podName);
    if (pod == null || Doc.string(pod, "spec.nodeName") == null) {
      return;
    }
    String refusal = mountRefusal.apply(pod);
    if (refusal != null) {
      // The volume never attaches (or mounts): the pod stays ContainerCreating, as a node says.
      List<Object> waiting = new ArrayList<>();
      for (Object container : Doc.list(pod, "spec.containers")) {
        waiting.add(
            containerStatus(
                container,
                false,
                Doc.obj("waiting", Doc.obj("reason", "ContainerCreating")),
                false));
      }
      Map<String, @Nullable Object> updated =
          store.modify(
              pods,
              namespace,
              podName,
              p -> {
                Doc.map(p, "status").put("phase", "Pending");
                Doc.map(p, "status").put("containerStatuses", waiting);
              });
      if (updated != null) {
        event(
            updated,
            "Warning",
            refusal.startsWith("AttachVolume") ? "FailedAttachVolume" : "FailedMount",
            refusal,
            refusal.startsWith("AttachVolume") ? "attachdetach-controller" : "kubelet");
      }
      return;
    }
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    List<Object> statuses = new ArrayList<>();
    boolean allStarted = true;
    List<Object> initStatuses = new ArrayList<>();
    for (Object container : Doc.list(pod, "spec.initContainers")) {
      String image = String.valueOf(Doc.get(container, "image"));
      if (allStarted && failingImages.contains(image)) {
        allStarted = false;
        initStatuses.add(containerStatus(container, false, pullBackOff(image), false));
        pullFailed(pod, image);
      } else if (allStarted) {
        initStatuses.add(
            containerStatus(
                container,
                false,
                Doc.obj(
                    "terminated",
                    Doc.obj(
                        "exitCode",
                        0L,
                        "reason",
                        "Completed",
                        "startedAt",
                        started,
                        "finishedAt",
                        started)),
                true));
        ran(pod, container, image);
      } else {
        initStatuses.add(containerStatus(container, false, podInitializing(), false));
      }
    }
    boolean initialized = allStarted;
    for (Object container : Doc.list(pod, "spec.containers")) {
      String image = String.valueOf(Doc.get(container, "image"));
      if (!initialized) {
        statuses.add(containerStatus(container, false, podInitializing(), false));
      } else if (failingImages.contains(image)) {
        allStarted = false;
        statuses.add(containerStatus(container, false, pullBackOff(image), false));
        pullFailed(pod, image);
      } else {
        Map<String, @Nullable Object> running =
            containerStatus(
                container, true, Doc.obj("running", Doc.obj("startedAt", started)), true);
        running.put("started", true);
        statuses.add(running);
        ran(pod, container, image);
      }
    }
    Map<String, @Nullable Object> status = Doc.obj();
    status.put("containerStatuses", statuses);
    if (!initStatuses.isEmpty()) {
      status.put("initContainerStatuses", initStatuses);
    }
    status.put("hostIP", nodeAddress(String.valueOf(Doc.string(pod, "spec.nodeName"))));
    status.put("hostIPs", List.of(Doc.obj("ip", status.get("hostIP"))));
    status.put("startTime", started);
    String ready = allStarted ? "True" : "False";
    status.put(
        "conditions",
        List.of(
            Doc.obj("type", "PodReadyToStartContainers", "status", "True"),
            Doc.obj("type", "Initialized", "status", initialized ? "True" : "False"),
            Doc.obj("type", "Ready", "status", ready),
            Doc.obj("type", "ContainersReady", "status", ready),
            Doc.obj("type", "PodScheduled", "status", "True")));
    if (allStarted) {
      status.put("phase", "Running");
      String ip = "10.244.0." + nextPodIp++;
      status.put("podIP", ip);
      status.put("podIPs", List.of(Doc.obj("ip", ip)));
    }
    // Onto the pod as stored now, so that labels or annotations set meanwhile stay.
    store.modify(pods, namespace, podName, p -> Doc.map(p, "status").putAll(status));
  }

  String nodeAddress(String nodeName) {
    Map<String, @Nullable Object> node = store.get(kind("v1", "Node"), null, nodeName);
    for (Object address : Doc.list(node, "status.addresses")) {
      if ("InternalIP".equals(Doc.get(address, "type"))) {
        return String.valueOf(Doc.get(address, "address"));
      }
    }
    return "10.0.0.1";
  }

  void ran(Map<String, @Nullable Object> pod, Object container, String image) {
    String name = String.valueOf(Doc.get(container, "name"));
    event(
        pod,
        "Normal",
        "Pulled",
        "Container image \"" + image + "\" already present on machine",
        "kubelet");
    event(pod, "Normal", "Created", "Created container: " + name, "kubelet");
    event(pod, "Normal", "Started", "Started container " + name, "kubelet");
  }

  void pullFailed(Map<String, @Nullable Object> pod, String image) {
    event(pod, "Normal", "Pulling", "Pulling image \"" + image + "\"", "kubelet");
    event(
        pod,
        "Warning",
        "Failed",
        "Failed to pull image \""
            + image
            + "\": rpc error: code = NotFound desc = failed to pull"
            + " and unpack image \""
            + image
            + "\": not found",
        "kubelet");
    event(pod, "Normal", "BackOff", "Back-off pulling image \"" + image + "\"", "kubelet");
  }

  static Map<String, @Nullable Object> podInitializing() {
    return Doc.obj("waiting", Doc.obj("reason", "PodInitializing"));
  }

  static Map<String, @Nullable Object> pullBackOff(String image) {
    return Doc.obj(
        "waiting",
        Doc.obj(
            "reason", "ImagePullBackOff", "message", "Back-off pulling image \"" + image + "\""));
  }

  /**
   * A container's status entry in a pod: its name, image (and, once pulled, the image's digest and
   * the container's id), readiness and state.
   */
  static Map<String, @Nullable Object> containerStatus(
      Object container, boolean ready, Map<String, @Nullable Object> state, boolean pulled) {
    String image = String.valueOf(Doc.get(container, "image"));
    Map<String, @Nullable Object> status =
        Doc.obj(
            "name",
            String.valueOf(Doc.get(container, "name")),
            "image",
            image,
            "imageID",
            pulled ? imageId(image) : "",
            "ready",
            ready,
            "restartCount",
            0L,
            "started",
            false,
            "state",
            state,
            "lastState",
            Doc.obj());
    if (pulled) {
      status.put("containerID", "containerd://" + digest(image + System.nanoTime()));
    }
    return status;
  }

  /** The repository digest a runtime reports for an image: docker.io/library/nginx@sha256:... */
  static String imageId(String image) {
    String name = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int tag = name.lastIndexOf(':');
    if (tag > name.lastIndexOf('/')) {
      name = name.substring(0, tag);
    }
    String first = name.contains("/") ? name.substring(0, name.indexOf('/')) : "";
    if (!first.contains(".") && !first.contains(":") && !first.equals("localhost")) {
      name = "docker.io/" + (name.contains("/") ? name : "library/" + name);
    }
    return name + "@sha256:" + digest(image);
  }

  static String digest(String text) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
