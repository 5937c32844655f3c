package dev.devkube.digitalocean.internal;

import dev.devkube.AssociatedResources;
import dev.devkube.ClusterOptions;
import dev.devkube.ClusterSpec;
import dev.devkube.MaintenanceWindow;
import dev.devkube.Node;
import dev.devkube.NodePoolSpec;
import dev.devkube.digitalocean.internal.DoJson.AssociatedJson;
import dev.devkube.digitalocean.internal.DoJson.CreateCluster;
import dev.devkube.digitalocean.internal.DoJson.MaintenancePolicy;
import dev.devkube.digitalocean.internal.DoJson.Named;
import dev.devkube.digitalocean.internal.DoJson.NodeJson;
import dev.devkube.digitalocean.internal.DoJson.NodePoolJson;
import dev.devkube.digitalocean.internal.DoJson.Options;
import dev.devkube.digitalocean.internal.DoJson.VersionJson;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Converts between DigitalOcean's JSON and devkube's provider-neutral model. */
final class DoModel {
  private DoModel() {}

  static String orEmpty(@Nullable String value) {
    return value == null ? "" : value;
  }

  static <T> List<T> orEmpty(@Nullable List<T> values) {
    return values == null ? List.of() : values;
  }

  /** Parses DigitalOcean's ISO 8601 timestamps, with or without fractions; null if unreadable. */
  static @Nullable Instant instant(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** Reads a maintenance policy; days may come capitalised ("Monday") and "any" means no day. */
  static @Nullable MaintenanceWindow maintenanceWindow(@Nullable MaintenancePolicy policy) {
    if (policy == null || policy.startTime == null) {
      return null;
    }
    LocalTime start;
    try {
      start =
          LocalTime.parse(
              policy.startTime.length() == 4 ? "0" + policy.startTime : policy.startTime);
    } catch (DateTimeParseException e) {
      return null;
    }
    start = start.withSecond(0).withNano(0);
    Duration duration = goDuration(policy.duration);
    String day = policy.day == null ? "any" : policy.day.trim().toUpperCase(Locale.ROOT);
    if (day.equals("ANY")) {
      return MaintenanceWindow.anyDay(start).withDuration(duration);
    }
    try {
      return MaintenanceWindow.on(DayOfWeek.valueOf(day), start).withDuration(duration);
    } catch (IllegalArgumentException e) {
      return MaintenanceWindow.anyDay(start).withDuration(duration);
    }
  }

  private static final Pattern GO_DURATION =
      Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d+)?)s)?");

  /** A duration as Go writes it ({@code 4h0m0s}); null when absent, zero or unreadable. */
  static @Nullable Duration goDuration(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    Matcher matcher = GO_DURATION.matcher(text.trim());
    if (!matcher.matches()) {
      return null;
    }
    Duration duration = Duration.ZERO;
    if (matcher.group(1) != null) {
      duration = duration.plusHours(Long.parseLong(matcher.group(1)));
    }
    if (matcher.group(2) != null) {
      duration = duration.plusMinutes(Long.parseLong(matcher.group(2)));
    }
    if (matcher.group(3) != null) {
      duration = duration.plusMillis(Math.round(Double.parseDouble(matcher.group(3)) * 1000));
    }
    return duration.isZero() ? null : duration;
  }

  static MaintenancePolicy maintenancePolicy(MaintenanceWindow window) {
    MaintenancePolicy policy = new MaintenancePolicy();
    policy.startTime =
        String.format(
            Locale.ROOT, "%02d:%02d", window.startTime().getHour(), window.startTime().getMinute());
    policy.day = window.day() == null ? "any" : window.day().name().toLowerCase(Locale.ROOT);
    return policy;
  }

  static List<Node> nodes(@Nullable List<NodeJson> nodes) {
    List<Node> result = new ArrayList<>();
    for (NodeJson node : orEmpty(nodes)) {
      String state = node.status == null ? "" : orEmpty(node.status.state);
      result.add(
          new Node(
              orEmpty(node.id),
              orEmpty(node.name),
              state,
              node.dropletId,
              instant(node.createdAt),
              instant(node.updatedAt)));
    }
    return result;
  }

  static CreateCluster createRequest(ClusterSpec spec) {
    CreateCluster body = new CreateCluster();
    body.name = spec.name();
    body.region = Objects.requireNonNull(spec.region());
    body.version = spec.version();
    List<NodePoolJson> pools = new ArrayList<>();
    spec.nodePools().forEach(pool -> pools.add(nodePoolRequest(pool)));
    body.nodePools = pools;
    body.tags = spec.tags().isEmpty() ? null : spec.tags();
    body.vpcUuid = spec.vpc();
    body.maintenancePolicy =
        spec.maintenanceWindow() == null ? null : maintenancePolicy(spec.maintenanceWindow());
    body.autoUpgrade = spec.autoUpgrade();
    body.surgeUpgrade = spec.surgeUpgrade();
    body.ha = spec.highAvailability();
    return body;
  }

  static NodePoolJson nodePoolRequest(NodePoolSpec pool) {
    NodePoolJson json = new NodePoolJson();
    json.name = pool.name();
    json.size = pool.size();
    json.count = pool.count();
    json.tags = pool.tags().isEmpty() ? null : pool.tags();
    json.labels = pool.labels().isEmpty() ? null : new LinkedHashMap<>(pool.labels());
    if (pool.autoScale()) {
      json.autoScale = true;
      json.minNodes = pool.minNodes();
      json.maxNodes = pool.maxNodes();
    }
    return json;
  }

  static ClusterOptions options(@Nullable Options options) {
    if (options == null) {
      return new ClusterOptions(List.of(), List.of(), List.of());
    }
    List<ClusterOptions.Region> regions =
        map(options.regions, r -> new ClusterOptions.Region(orEmpty(r.slug), orEmpty(r.name)));
    List<ClusterOptions.Version> versions = map(options.versions, DoModel::version);
    List<ClusterOptions.Size> sizes =
        map(options.sizes, s -> new ClusterOptions.Size(orEmpty(s.slug), orEmpty(s.name)));
    return new ClusterOptions(regions, versions, sizes);
  }

  static ClusterOptions.Version version(VersionJson json) {
    return new ClusterOptions.Version(
        orEmpty(json.slug), orEmpty(json.kubernetesVersion), orEmpty(json.supportedFeatures));
  }

  static AssociatedResources associated(AssociatedJson json) {
    Function<Named, AssociatedResources.Resource> resource =
        n -> new AssociatedResources.Resource(orEmpty(n.id), orEmpty(n.name));
    return new AssociatedResources(
        map(json.volumes, resource),
        map(json.volumeSnapshots, resource),
        map(json.loadBalancers, resource));
  }

  private static <A, B> List<B> map(@Nullable List<A> items, Function<A, B> mapper) {
    List<B> result = new ArrayList<>();
    for (A item : orEmpty(items)) {
      if (item != null) {
        result.add(mapper.apply(item));
      }
    }
    return result;
  }
}
