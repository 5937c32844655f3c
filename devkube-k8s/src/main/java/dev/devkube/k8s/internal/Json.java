package dev.devkube.k8s.internal;

import com.squareup.moshi.JsonReader;
import com.squareup.moshi.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okio.Buffer;
import org.jspecify.annotations.Nullable;

/**
 * JSON to and from plain maps, lists, strings, booleans and numbers, keeping key order and keeping
 * integers integers ({@code 3}, never {@code 3.0}: the API server refuses a float where it expects
 * an int).
 */
public final class Json {
  private Json() {}

  /**
   * Parses one JSON value.
   *
   * @throws IllegalArgumentException when the text is not JSON, saying where
   */
  public static @Nullable Object parse(String text) {
    try (JsonReader reader = JsonReader.of(new Buffer().writeUtf8(text))) {
      Object value = read(reader);
      if (reader.peek() != JsonReader.Token.END_DOCUMENT) {
        throw new IllegalArgumentException("text after the JSON value at " + reader.getPath());
      }
      return value;
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  /** Reads one value from {@code reader}. */
  public static @Nullable Object read(JsonReader reader) throws IOException {
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
      case STRING -> {
        return reader.nextString();
      }
      case NUMBER -> {
        return number(reader.nextString());
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

  private static Number number(String text) {
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
      BigInteger integer = new BigInteger(text);
      return integer.bitLength() < 64 ? (Number) integer.longValue() : integer;
    }
    BigDecimal decimal = new BigDecimal(text);
    double asDouble = decimal.doubleValue();
    return BigDecimal.valueOf(asDouble).compareTo(decimal) == 0 ? (Number) asDouble : decimal;
  }

  /** Writes {@code value} as compact JSON. */
  public static String write(@Nullable Object value) {
    return write(value, "");
  }

  /** Writes {@code value} as JSON indented by two spaces. */
  public static String writePretty(@Nullable Object value) {
    return write(value, "  ");
  }

  private static String write(@Nullable Object value, String indent) {
    Buffer buffer = new Buffer();
    try (JsonWriter writer = JsonWriter.of(buffer)) {
      writer.setIndent(indent);
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
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
        writer.name(String.valueOf(entry.getKey()));
        write(writer, entry.getValue());
      }
      writer.endObject();
    } else if (value instanceof List) {
      writer.beginArray();
      for (Object item : (List<?>) value) {
        write(writer, item);
      }
      writer.endArray();
    } else if (value instanceof String string) {
      writer.value(string);
    } else if (value instanceof Boolean b) {
      writer.value(b);
    } else if (value instanceof Number number) {
      writer.value(number);
    } else {
      writer.value(value.toString());
    }
  }
}
