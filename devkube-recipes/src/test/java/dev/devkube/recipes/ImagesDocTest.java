package dev.devkube.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devkube.k8s.KubeObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/images.md and the code name the same images: each one deployable has its evidence row. */
class ImagesDocTest {
  private static final NfsShare SHARE = new NfsShare("10.96.0.10", "/");

  private static Set<String> deployable() {
    Set<String> images = new TreeSet<>();
    for (Profile profile : List.of(Profile.DEFAULT, Profile.CLASSIC)) {
      RecipeContext context = new RecipeContext("dev", "devkube", profile);
      for (Exposure exposure : Exposure.values()) {
        List<KubeObject> objects = new ArrayList<>(NfsServer.create().objects(context).all());
        objects.addAll(
            SshServer.create()
                .tcpForwarding(true)
                .objects(context, SHARE, List.of(Keys.ed25519("a@b")))
                .all());
        objects.addAll(WebServer.create().objects(context, SHARE, exposure).all());
        objects.addAll(IdeServer.create().objects(context, SHARE, exposure).all());
        objects.addAll(Toolbox.create().objects(context, SHARE).all());
        objects.addAll(Postgres.create().objects(context).all());
        objects.addAll(Redis.create().objects(context).all());
        objects.forEach(object -> images.addAll(Images.of(object)));
      }
    }
    return images;
  }

  private static Set<String> documented() throws Exception {
    String doc = Files.readString(Path.of("..", "docs", "images.md"));
    Set<String> rows = new TreeSet<>();
    Matcher row = Pattern.compile("(?m)^\\| `([^`]+)` \\|").matcher(doc);
    while (row.find()) {
      rows.add(row.group(1));
    }
    return rows;
  }

  @Test
  void everyDeployableImageHasItsEvidenceInDocsImagesAndNoRowIsStale() throws Exception {
    Set<String> deployable = deployable();

    assertThat(deployable).hasSizeGreaterThanOrEqualTo(9);
    assertThat(documented()).isEqualTo(deployable);
  }

  @Test
  void theDefaultProfilePinsEveryImageAndTheReferencesAreWellFormed() {
    RecipeContext context = new RecipeContext("dev", "devkube", Profile.DEFAULT);
    List<KubeObject> objects = new ArrayList<>(NfsServer.create().objects(context).all());
    objects.addAll(SshServer.create().objects(context, SHARE, List.of(Keys.ed25519("a@b"))).all());
    objects.addAll(WebServer.create().objects(context, SHARE).all());
    objects.addAll(IdeServer.create().objects(context, SHARE, Exposure.FORWARD).all());
    objects.addAll(Toolbox.create().objects(context, SHARE).all());
    objects.addAll(Postgres.create().objects(context).all());
    objects.addAll(Redis.create().objects(context).all());

    for (KubeObject object : objects) {
      Images.requireWellFormed(object);
      assertThat(Images.of(object))
          .allSatisfy(
              image ->
                  assertThat(image)
                      .as(object.toString())
                      .containsPattern(":[0-9][^:/]*$")
                      .doesNotEndWith(":latest"));
    }
  }
}
