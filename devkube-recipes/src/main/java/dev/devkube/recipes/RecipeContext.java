package dev.devkube.recipes;

import dev.devkube.internal.Validation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where and as what a recipe's objects are made: the namespace, the environment's name (every
 * object is labelled with it, which is how teardown finds them) and the profile.
 *
 * @param namespace the namespace
 * @param environment the environment's name
 * @param profile the images and naming profile
 */
public record RecipeContext(String namespace, String environment, Profile profile) {
  /** The label naming the tool that manages an object: {@code devkube}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /** The label naming the environment an object belongs to. */
  public static final String PART_OF = "app.kubernetes.io/part-of";

  /** The label naming the recipe that made an object, e.g. {@code nfs}. */
  public static final String NAME = "app.kubernetes.io/name";

  /**
   * On Secrets whose credentials the data needs (a database's password): kept with the data on
   * teardown.
   */
  public static final String KEEP_WITH_DATA = "devkube.dev/keep-with-data";

  public RecipeContext {
    Validation.requireDnsLabel("namespace", namespace);
    Validation.requireDnsLabel("environment name", environment);
  }

  /** The labels every object of {@code component} carries. */
  public Map<String, String> labels(String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, component);
    labels.put(PART_OF, environment);
    labels.put(MANAGED_BY, "devkube");
    return labels;
  }

  /** The labels that select a component's pods: the original's role label and the environment. */
  public Map<String, String> selector(String role) {
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put("role", role);
    selector.put(PART_OF, environment);
    return selector;
  }
}
