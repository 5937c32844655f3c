package dev.devkube.recipes;

import dev.devkube.k8s.KubeObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The container images of an object, and the check that each is a well-formed reference. */
final class Images {
  /**
   * {@code [registry[:port]/]path[:tag][@digest]} as the distribution spec's reference grammar has
   * it: lower-case path components, a tag of up to 128 word characters, dots and dashes.
   */
  private static final Pattern REFERENCE =
      Pattern.compile(
          "(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
              + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
              + "(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");

  private Images() {}

  /** Every image of {@code object}'s pod template (containers and init containers). */
  static List<String> of(KubeObject object) {
    List<String> images = new ArrayList<>();
    for (String list : new String[] {"initContainers", "containers"}) {
      for (Object container : object.getList("spec.template.spec." + list)) {
        Object image = ((Map<?, ?>) container).get("image");
        if (image != null) {
          images.add(image.toString());
        }
      }
    }
    return images;
  }

  /** Refuses, before anything is sent, an image reference a registry would never resolve. */
  static void requireWellFormed(KubeObject object) {
    for (String image : of(object)) {
      if (!REFERENCE.matcher(image).matches()) {
        throw new IllegalArgumentException(
            "image \""
                + image
                + "\" of "
                + object.kind()
                + " "
                + object.name()
                + " is not a valid image reference: expected [registry/]name[:tag][@sha256:digest]"
                + " with a lower-case name, such as nginx:1.30.4-alpine");
      }
    }
  }
}
