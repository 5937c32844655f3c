package dev.devkube.testkit.internal;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/** JSON documents as ordered maps, and dotted-path access into them. */
public final class Doc {
  private Doc() {}

  /** Parses JSON; integers stay integers. */
  public static @Nullable Object parse(String text) throws IOException {
    try (JsonReader reader = JsonReader.of(new Buffer().writeUtf8(text))) {
      Object value = read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new IOException("text after the JSON value");
      }
      return value;
    }
  }

  private static @Nullable Object read(JsonReader reader) throws IOException {
    switch (reader.peek()) {
      case BEGIN_OBJECT -> {
        Map<String, @Nullable Object> map = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
          map.put(reader.nextName(), read(reader));
        }
        reader.endObject();
        return map;
      }
      case BEGIN_ARRAY -> {
        List<@Nullable Object> list = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
          list.add(read(reader));
        }
        reader.endArray();
        return list;
      }
      case NUMBER -> {
        String number = reader.nextString();
        return number.matches("-?\\d{1,18}")
            ? (Object) Long.parseLong(number)
            : new BigDecimal(number);
      }
      case STRING -> {
        return reader.nextString();
      }
      case BOOLEAN -> {
        return reader.nextBoolean();
      }
      case NULL -> {
        return reader.nextNull();
      }
      default -> throw new IOException("unexpected " + reader.peek() + " at " + reader.getPath());
    }
  }

  /** Compact JSON. */
  public static String write(@Nullable Object value) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setSerializeNulls(true);
      write(writer, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.readUtf8();
  }

  private static void write(JsonWriter writer, @Nullable Object value) throws IOException {
    if (value == null) {
      writer.nullValue();
    } else if (value instanceof Map) {
      writer.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        writer.name(String.valueOf(e.getKey()));
        write(writer, e.getValue());
      }
      writer.endObject();
    } else if (value instanceof List) {
      writer.beginArray();
      for (Object item : (List<?>) value) {
        write(writer, item);
      }
      writer.endArray();
    } else if (value instanceof Boolean b) {
      writer.value(b);
    } else if (value instanceof Number number) {
      writer.value(number);
    } else {
      writer.value(value.toString());
    }
  }

  /** A deep copy with string keys. */
  @SuppressWarnings("unchecked")
  public static <T> T copy(T value) {
    if (value instanceof Map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      ((Map<?, ?>) value).forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
      return (T) copy;
    }
    if (value instanceof List) {
      List<@Nullable Object> copy = new ArrayList<>();
      ((List<?>) value).forEach(v -> copy.add(copy(v)));
      return (T) copy;
    }
    return value;
  }

  /** A deep copy of a value that may be null (JSON's null). */
  public static @Nullable Object copyOrNull(@Nullable Object value) {
    return value == null ? null : copy(value);
  }

  /** A deep copy of a JSON object; anything else becomes an empty object. */
  public static Map<String, @Nullable Object> copyObject(@Nullable Object value) {
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> copy.put(String.valueOf(k), copyOrNull(v)));
    }
    return copy;
  }

  /** The value at a dotted path of map keys, or null. */
  public static @Nullable Object get(@Nullable Object document, String path) {
    Object current = document;
    for (String key : path.split("\\.", -1)) {
      if (!(current instanceof Map)) {
        return null;
      }
      current = ((Map<?, ?>) current).get(key);
    }
    return current;
  }

  public static @Nullable String string(@Nullable Object document, String path) {
    Object value = get(document, path);
    return value == null ? null : value.toString();
  }

  /** The map at a dotted path, created on the way when missing. */
  @SuppressWarnings("unchecked")
  public static Map<String, @Nullable Object> map(
      Map<String, @Nullable Object> document, String path) {
    Map<String, @Nullable Object> current = document;
    for (String key : path.split("\\.", -1)) {
      Object child = current.get(key);
      if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
        current.put(key, child);
      }
      current = (Map<String, @Nullable Object>) child;
    }
    return current;
  }

  /** The list at a dotted path, or an empty one. */
  public static List<Object> list(@Nullable Object document, String path) {
    Object value = get(document, path);
    return value instanceof List ? new ArrayList<>((List<?>) value) : new ArrayList<>();
  }

  /** Sets a value at a dotted path, creating maps on the way. */
  public static void set(
      Map<String, @Nullable Object> document, String path, @Nullable Object value) {
    int dot = path.lastIndexOf('.');
    Map<String, @Nullable Object> parent =
        dot < 0 ? document : map(document, path.substring(0, dot));
    parent.put(dot < 0 ? path : path.substring(dot + 1), value);
  }

  /** A string-keyed map of string values at a path (labels, selectors); empty when absent. */
  public static Map<String, String> strings(@Nullable Object document, String path) {
    Map<String, String> result = new LinkedHashMap<>();
    Object value = get(document, path);
    if (value instanceof Map) {
      ((Map<?, ?>) value).forEach((k, v) -> result.put(String.valueOf(k), String.valueOf(v)));
    }
    return result;
  }

  /** A fresh ordered map. */
  public static Map<String, @Nullable Object> obj(@Nullable Object... keysAndValues) {
    Map<String, @Nullable Object> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
