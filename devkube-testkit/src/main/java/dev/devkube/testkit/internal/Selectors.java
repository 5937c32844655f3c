package dev.devkube.testkit.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Label selectors ({@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin
 * (x)}, {@code a}, {@code !a}) and field selectors ({@code metadata.name}, {@code
 * metadata.namespace}, and other dotted fields with {@code =}, {@code ==}, {@code !=}).
 */
public final class Selectors {
  private Selectors() {}

  public static Predicate<Map<String, @Nullable Object>> labels(@Nullable String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<Map<String, String>>> terms = new ArrayList<>();
    for (String term : splitTerms(selector)) {
      terms.add(labelTerm(term.trim()));
    }
    return o -> {
      Map<String, String> labels = Doc.strings(o, "metadata.labels");
      return terms.stream().allMatch(t -> t.test(labels));
    };
  }

  private static Predicate<Map<String, String>> labelTerm(String term) {
    String[] notIn = term.split("\\s+notin\\s+", 2);
    if (notIn.length == 2) {
      List<String> values = set(notIn[1]);
      return l -> !values.contains(l.get(notIn[0].trim()));
    }
    String[] in = term.split("\\s+in\\s+", 2);
    if (in.length == 2) {
      List<String> values = set(in[1]);
      return l -> values.contains(l.get(in[0].trim()));
    }
    if (term.contains("!=")) {
      String[] kv = term.split("!=", 2);
      return l -> !kv[1].trim().equals(l.get(kv[0].trim()));
    }
    if (term.contains("=")) {
      String[] kv = term.split("==?", 2);
      return l -> kv[1].trim().equals(l.get(kv[0].trim()));
    }
    if (term.startsWith("!")) {
      return l -> !l.containsKey(term.substring(1).trim());
    }
    if (term.isEmpty() || !term.matches("[A-Za-z0-9./_-]+")) {
      throw Status.badRequest("unable to parse requirement: " + term);
    }
    return l -> l.containsKey(term);
  }

  private static List<String> set(String values) {
    String inner = values.trim();
    if (!inner.startsWith("(") || !inner.endsWith(")")) {
      throw Status.badRequest("unable to parse requirement: expected (values), got " + values);
    }
    List<String> result = new ArrayList<>();
    for (String v : inner.substring(1, inner.length() - 1).split(",", -1)) {
      result.add(v.trim());
    }
    return result;
  }

  /** Splits on commas that are not inside parentheses. */
  private static List<String> splitTerms(String selector) {
    List<String> terms = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        terms.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    terms.add(selector.substring(start));
    return terms;
  }

  /** The field selectors kube-apiserver supports beyond metadata.name and metadata.namespace. */
  private static final Map<String, List<String>> FIELDS =
      Map.of(
          "Pod",
          List.of(
              "spec.nodeName",
              "spec.restartPolicy",
              "spec.schedulerName",
              "spec.serviceAccountName",
              "spec.hostNetwork",
              "status.phase",
              "status.podIP",
              "status.nominatedNodeName"),
          "Event",
          List.of(
              "involvedObject.kind",
              "involvedObject.namespace",
              "involvedObject.name",
              "involvedObject.uid",
              "involvedObject.apiVersion",
              "involvedObject.resourceVersion",
              "involvedObject.fieldPath",
              "reason",
              "reportingComponent",
              "source",
              "type"),
          "Secret",
          List.of("type"),
          "Node",
          List.of("spec.unschedulable"),
          "Namespace",
          List.of("status.phase"),
          "ReplicaSet",
          List.of("status.replicas"),
          "ReplicationController",
          List.of("status.replicas"),
          "Job",
          List.of("status.successful"),
          "Service",
          List.of("spec.clusterIP", "spec.type"));

  /**
   * A field selector over the fields the API server supports for {@code kind}; any other field is
   * refused with its 400.
   */
  public static Predicate<Map<String, @Nullable Object>> fields(
      String kind, @Nullable String selector) {
    if (selector == null || selector.isBlank()) {
      return o -> true;
    }
    List<Predicate<Map<String, @Nullable Object>>> terms = new ArrayList<>();
    for (String term : Arrays.asList(selector.split(","))) {
      boolean negate = term.contains("!=");
      String[] kv = term.split(negate ? "!=" : "==?", 2);
      if (kv.length != 2) {
        throw Status.badRequest("invalid field selector: " + term);
      }
      String field = kv[0].trim();
      String value = kv[1].trim();
      if (!field.equals("metadata.name")
          && !field.equals("metadata.namespace")
          && !FIELDS.getOrDefault(kind, List.of()).contains(field)) {
        throw Status.badRequest("field label not supported: " + field);
      }
      terms.add(
          o -> {
            String actual = Doc.string(o, field);
            boolean equal = value.equals(actual == null ? "" : actual);
            return negate != equal;
          });
    }
    return o -> terms.stream().allMatch(t -> t.test(o));
  }
}
