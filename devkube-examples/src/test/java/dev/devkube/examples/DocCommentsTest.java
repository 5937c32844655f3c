package dev.devkube.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public type and member of the libraries has a doc comment (doclint's {@code missing} group,
 * for comments; house style describes parameters and results in the comment's prose, not in a tag
 * per parameter).
 */
class DocCommentsTest {
  private static final List<String> LIBRARIES =
      List.of(
          "devkube-api",
          "devkube-digitalocean",
          "devkube-k8s",
          "devkube-recipes",
          "devkube-testkit");

  @Test
  void everyPublicDeclarationSaysWhatItIs() {
    List<String> missing = new ArrayList<>();
    for (String module : LIBRARIES) {
      for (String gap : DocComments.missing(Path.of("..", module, "src/main/java"))) {
        missing.add(module + "/" + gap);
      }
    }
    assertThat(missing).as("public declarations without a doc comment").isEmpty();
  }

  @Test
  void aMissingCommentIsNamedAndWhatNeedsNoneIsNot(@TempDir Path root) throws Exception {
    Path file = root.resolve("dev/devkube/x/Thing.java");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        """
        package dev.devkube.x;

        /** A thing. */
        public final class Thing {
          public static final int SIZE = 1;

          /** Documented. */
          public void documented() {}

          public void bare() {}

          void packagePrivate() {}

          @Override
          public String toString() {
            return "";
          }

          /** A kind. */
          public enum Kind {
            /** Documented. */
            ONE,
            TWO
          }

          /** A pair. */
          public record Pair(int a, int b) {
            public Pair {}
          }

          private static final class Hidden {
            public void inside() {}
          }

          public interface Api {
            void call();
          }
        }
        """);

    assertThat(DocComments.missing(root))
        .containsExactly(
            "dev/devkube/x/Thing.java:5 SIZE",
            "dev/devkube/x/Thing.java:10 bare()",
            "dev/devkube/x/Thing.java:23 TWO",
            "dev/devkube/x/Thing.java:35 Api",
            "dev/devkube/x/Thing.java:36 call()");
  }
}
