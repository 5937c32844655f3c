package dev.devkube.testkit.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What a fake DigitalOcean account offers, fixed when it starts (a builder changed later does not
 * reach a running fake).
 *
 * @param tokens the tokens accepted
 * @param provisioningTime how long a new cluster provisions before it runs
 * @param regions the regions offered
 * @param versions the Kubernetes versions offered, newest first
 * @param sizes the node sizes offered
 * @param ratePerMinute requests allowed per minute before 429s
 * @param clock the clock provisioning time is measured on
 */
public record DoSettings(
    Set<String> tokens,
    Duration provisioningTime,
    List<String> regions,
    List<String> versions,
    List<String> sizes,
    int ratePerMinute,
    Clock clock) {
  public DoSettings {
    tokens = Set.copyOf(tokens);
    regions = List.copyOf(regions);
    versions = List.copyOf(versions);
    sizes = List.copyOf(sizes);
  }
}
