package dev.devkube.k8s.internal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/** YAML (one or many documents) to and from plain maps and lists. */
public final class Yaml {
  private Yaml() {}

  /**
   * Parses every document of {@code text}; empty documents are skipped.
   *
   * @throws IllegalArgumentException when the text is not YAML, saying where
   */
  public static List<Object> parseAll(String text) {
    List<Object> documents = new ArrayList<>();
    try {
      for (Object document :
          new Load(LoadSettings.builder().setAllowDuplicateKeys(false).build())
              .loadAllFromString(text)) {
        if (document != null) {
          documents.add(document);
        }
      }
    } catch (YamlEngineException e) {
      throw new IllegalArgumentException("not valid YAML: " + e.getMessage(), e);
    }
    return documents;
  }

  /** Writes {@code value} as a block-style YAML document. */
  public static String write(@Nullable Object value) {
    DumpSettings settings =
        DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(0)
            .setWidth(120)
            .build();
    return new Dump(settings).dumpToString(value);
  }
}
