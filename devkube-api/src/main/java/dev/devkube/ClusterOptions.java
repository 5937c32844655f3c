package dev.devkube;

import dev.devkube.internal.Slugs;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a provider offers: regions, Kubernetes versions and machine sizes. Checks a {@link
 * ClusterSpec} against them before it is sent, naming the nearest valid slugs.
 *
 * @param regions the regions clusters can be created in
 * @param versions the Kubernetes versions offered
 * @param sizes the machine sizes node pools can use
 */
public record ClusterOptions(List<Region> regions, List<Version> versions, List<Size> sizes) {
  public ClusterOptions {
    regions = List.copyOf(regions);
    versions = List.copyOf(versions);
    sizes = List.copyOf(sizes);
  }

  /**
   * The newest version offered, by version order (not by position in the list).
   *
   * @throws IllegalStateException when no version is offered
   */
  public Version latestVersion() {
    return versions.stream()
        .max(Comparator.naturalOrder())
        .orElseThrow(() -> new IllegalStateException("the provider offers no Kubernetes version"));
  }

  /**
   * Returns {@code spec} validated, with {@link ClusterSpec#LATEST} replaced by the newest
   * version's slug.
   *
   * @throws IllegalArgumentException when the spec names a region, version or size not offered,
   *     listing the nearest valid slugs
   */
  public ClusterSpec resolve(ClusterSpec spec) {
    spec.validate();
    String region = Objects.requireNonNull(spec.region());
    require("region", region, slugs(regions, Region::slug));
    ClusterSpec resolved = spec;
    if (spec.isLatestVersion()) {
      resolved = spec.version(latestVersion().slug());
    } else {
      require("version", spec.version(), slugs(versions, Version::slug));
    }
    List<String> sizeSlugs = slugs(sizes, Size::slug);
    for (NodePoolSpec pool : spec.nodePools()) {
      require("node pool " + pool.name() + " size", pool.size(), sizeSlugs);
    }
    return resolved;
  }

  private static <T> List<String> slugs(
      List<T> items, java.util.function.Function<T, String> slug) {
    List<String> result = new ArrayList<>(items.size());
    items.forEach(item -> result.add(slug.apply(item)));
    return result;
  }

  private static void require(String what, String slug, Collection<String> offered) {
    if (!offered.contains(slug)) {
      throw new IllegalArgumentException(
          what
              + " \""
              + slug
              + "\" is not offered: nearest are "
              + String.join(", ", Slugs.nearest(slug, offered, 3)));
    }
  }

  /**
   * A region.
   *
   * @param slug its id, e.g. {@code sfo2}
   * @param name its name for people, e.g. {@code San Francisco 2}
   */
  public record Region(String slug, String name) {
    public Region {
      Objects.requireNonNull(slug, "slug");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A machine size.
   *
   * @param slug its id, e.g. {@code s-2vcpu-4gb}
   * @param name its name for people
   */
  public record Size(String slug, String name) {
    public Size {
      Objects.requireNonNull(slug, "slug");
      Objects.requireNonNull(name, "name");
    }
  }

  /**
   * A Kubernetes version offered by the provider, ordered by its numbers: {@code 1.31.10-do.1} is
   * newer than {@code 1.31.9-do.3}.
   *
   * @param slug the provider's id, e.g. {@code 1.31.1-do.5}
   * @param kubernetesVersion the upstream version, e.g. {@code 1.31.1}
   * @param supportedFeatures the provider's feature flags for this version
   */
  public record Version(String slug, String kubernetesVersion, List<String> supportedFeatures)
      implements Comparable<Version> {
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    public Version {
      Objects.requireNonNull(slug, "slug");
      Objects.requireNonNull(kubernetesVersion, "kubernetesVersion");
      supportedFeatures = List.copyOf(supportedFeatures);
    }

    @Override
    public int compareTo(Version other) {
      List<Long> mine = numbers(slug);
      List<Long> theirs = numbers(other.slug);
      for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
        int order = Long.compare(mine.get(i), theirs.get(i));
        if (order != 0) {
          return order;
        }
      }
      int order = Integer.compare(mine.size(), theirs.size());
      return order != 0 ? order : slug.compareTo(other.slug);
    }

    private static List<Long> numbers(String slug) {
      List<Long> result = new ArrayList<>();
      Matcher matcher = NUMBERS.matcher(slug);
      while (matcher.find()) {
        String digits = matcher.group();
        result.add(digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits));
      }
      return result;
    }
  }
}
