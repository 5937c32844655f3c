package dev.devkube.testkit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Kubernetes protobuf encoding ({@code application/vnd.kubernetes.protobuf}) into the
 * object's JSON form: the 4 bytes {@code k8s\0}, then a {@code runtime.Unknown} whose {@code raw}
 * holds the object as the message of its kind. Field numbers and types come from {@code
 * protobuf.tsv} (generated from the v1.36 {@code generated.proto} files); the wire format is
 * decoded here, without a protobuf runtime.
 */
public final class Protobuf {
  private static final byte[] MAGIC = {'k', '8', 's', 0};
  private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";
  private static final long GO_ZERO_TIME = -62135596800L;

  /** One field of a message. */
  private record Field(String name, String cardinality, String type) {}

  private static volatile @Nullable Map<String, Map<Integer, Field>> messages;

  private Protobuf() {}

  /** Whether this body starts with the protobuf envelope's magic bytes. */
  public static boolean isEnvelope(byte[] body) {
    if (body.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * The object in this envelope as JSON maps, with its {@code apiVersion} and {@code kind}.
   *
   * @throws Status 415 when the kind has no protobuf message, 400 when the bytes are malformed
   */
  public static Map<String, @Nullable Object> decode(byte[] body) {
    if (!isEnvelope(body)) {
      throw Status.badRequest(
          "the protobuf body does not start with the k8s\\0 envelope of runtime.Unknown");
    }
    try {
      Reader unknown = new Reader(body, MAGIC.length, body.length);
      String apiVersion = "";
      String kind = "";
      byte[] raw = new byte[0];
      while (unknown.more()) {
        int tag = (int) unknown.varint();
        switch (tag) {
          case (1 << 3) | 2 -> {
            Reader typeMeta = unknown.nested();
            while (typeMeta.more()) {
              int t = (int) typeMeta.varint();
              if (t == ((1 << 3) | 2)) {
                apiVersion = typeMeta.string();
              } else if (t == ((2 << 3) | 2)) {
                kind = typeMeta.string();
              } else {
                typeMeta.skip(t & 7);
              }
            }
          }
          case (2 << 3) | 2 -> raw = unknown.bytes();
          default -> unknown.skip(tag & 7);
        }
      }
      String message = messageOf(apiVersion, kind);
      if (message == null) {
        throw new Status(
            415,
            "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include:"
                + " application/json, application/yaml",
            Doc.obj());
      }
      Map<String, @Nullable Object> object = new LinkedHashMap<>();
      object.put("apiVersion", apiVersion);
      object.put("kind", kind);
      Object decoded = message(new Reader(raw, 0, raw.length), message);
      if (decoded instanceof Map<?, ?> fields) {
        fields.forEach((k, v) -> object.put(String.valueOf(k), v));
      }
      return object;
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      Status status = Status.badRequest("the protobuf body is malformed: " + e.getMessage());
      status.initCause(e);
      throw status;
    }
  }

  /** The protobuf message of a kind, or null when the tables have none. */
  static @Nullable String messageOf(String apiVersion, String kind) {
    Map<String, Map<Integer, Field>> all = table();
    int slash = apiVersion.indexOf('/');
    String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
    String group = slash < 0 ? "core" : apiVersion.substring(0, slash);
    String name;
    if (group.equals("meta.k8s.io") || (group.equals("core") && isMetaKind(kind))) {
      name = META + kind;
    } else {
      name = "k8s.io.api." + group.split("\\.", -1)[0] + "." + version + "." + kind;
    }
    return all.containsKey(name) ? name : null;
  }

  private static boolean isMetaKind(String kind) {
    return kind.equals("DeleteOptions") || kind.equals("Status") || kind.equals("Table");
  }

  private static @Nullable Object message(Reader in, String message) {
    Map<Integer, Field> fields = table().get(message);
    if (fields == null) {
      throw new IllegalArgumentException("no protobuf message " + message);
    }
    Map<String, @Nullable Object> json = new LinkedHashMap<>();
    while (in.more()) {
      int tag = (int) in.varint();
      int number = tag >>> 3;
      int wire = tag & 7;
      Field field = fields.get(number);
      if (field == null) {
        in.skip(wire);
        continue;
      }
      switch (field.cardinality()) {
        case "map" -> {
          String[] types = field.type().split(",", 2);
          Reader entry = in.nested();
          @Nullable Object key = null;
          @Nullable Object value = null;
          while (entry.more()) {
            int t = (int) entry.varint();
            if ((t >>> 3) == 1) {
              key = value(entry, t & 7, types[0]);
            } else if ((t >>> 3) == 2) {
              value = value(entry, t & 7, types[1]);
            } else {
              entry.skip(t & 7);
            }
          }
          Map<String, @Nullable Object> map = Doc.map(json, field.name());
          map.put(String.valueOf(key == null ? "" : key), value == null ? empty(types[1]) : value);
        }
        case "rep" -> {
          @SuppressWarnings("unchecked")
          List<@Nullable Object> list =
              (List<@Nullable Object>) json.computeIfAbsent(field.name(), k -> new ArrayList<>());
          if (wire == 2 && isPackable(field.type())) {
            Reader packed = in.nested();
            while (packed.more()) {
              list.add(value(packed, wireOf(field.type()), field.type()));
            }
          } else {
            list.add(value(in, wire, field.type()));
          }
        }
        default -> {
          json.put(field.name(), value(in, wire, field.type()));
        }
      }
    }
    return special(message, json);
  }

  /** The JSON form of messages whose JSON is not an object of their fields. */
  private static @Nullable Object special(String message, Map<String, @Nullable Object> json) {
    switch (message) {
      case META + "Time", META + "MicroTime" -> {
        long seconds = json.get("seconds") instanceof Long s ? s : 0;
        long nanos = json.get("nanos") instanceof Long n ? n : 0;
        if (json.isEmpty() || seconds == GO_ZERO_TIME) {
          return null;
        }
        Instant instant = Instant.ofEpochSecond(seconds, nanos);
        return message.endsWith("MicroTime")
            ? DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX")
                .withZone(java.time.ZoneOffset.UTC)
                .format(instant.truncatedTo(ChronoUnit.MICROS))
            : instant.truncatedTo(ChronoUnit.SECONDS).toString();
      }
      case META + "Duration" -> {
        long nanos = json.get("duration") instanceof Long d ? d : 0;
        return goDuration(nanos);
      }
      case META + "FieldsV1", "k8s.io.apimachinery.pkg.runtime.RawExtension" -> {
        Object raw = json.get(message.endsWith("FieldsV1") ? "Raw" : "raw");
        if (!(raw instanceof String base64)) {
          return null;
        }
        String text = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        try {
          return Doc.parse(text);
        } catch (IOException e) {
          throw new IllegalArgumentException("a raw object that is not JSON: " + e.getMessage());
        }
      }
      case "k8s.io.apimachinery.pkg.api.resource.Quantity" -> {
        return json.getOrDefault("string", "0");
      }
      case "k8s.io.apimachinery.pkg.util.intstr.IntOrString" -> {
        long type = json.get("type") instanceof Long t ? t : 0;
        return type == 1 ? json.getOrDefault("strVal", "") : json.getOrDefault("intVal", 0L);
      }
      default -> {
        if (message.endsWith(".ExtraValue")) {
          return json.getOrDefault("items", new ArrayList<>());
        }
        json.values().removeIf(v -> v == null || (v instanceof String s && s.isEmpty()));
        return json;
      }
    }
  }

  private static String goDuration(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder(nanos < 0 ? "-" : "");
    long n = Math.abs(nanos);
    long hours = n / 3_600_000_000_000L;
    long minutes = (n / 60_000_000_000L) % 60;
    double seconds = (n % 60_000_000_000L) / 1e9;
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    String s =
        seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.valueOf(seconds);
    return text.append(s).append('s').toString();
  }

  private static @Nullable Object empty(String type) {
    return switch (type) {
      case "string" -> "";
      case "bytes" -> "";
      default -> null;
    };
  }

  private static boolean isPackable(String type) {
    return !type.equals("string") && !type.equals("bytes") && !type.contains(".");
  }

  private static int wireOf(String type) {
    return switch (type) {
      case "double", "fixed64", "sfixed64" -> 1;
      case "float", "fixed32", "sfixed32" -> 5;
      default -> 0;
    };
  }

  private static @Nullable Object value(Reader in, int wire, String type) {
    switch (type) {
      case "string" -> {
        return in.string();
      }
      case "bytes" -> {
        return Base64.getEncoder().encodeToString(in.bytes());
      }
      case "bool" -> {
        return in.varint() != 0;
      }
      case "int32" -> {
        return (long) (int) in.varint();
      }
      case "int64", "uint32", "uint64" -> {
        return in.varint();
      }
      case "sint32", "sint64" -> {
        long v = in.varint();
        return (v >>> 1) ^ -(v & 1);
      }
      case "double" -> {
        return in.fixed64AsDouble();
      }
      case "float" -> {
        return (double) Float.intBitsToFloat(in.fixed32());
      }
      case "fixed32", "sfixed32" -> {
        return (long) in.fixed32();
      }
      case "fixed64", "sfixed64" -> {
        return in.fixed64();
      }
      default -> {
        if (wire != 2) {
          throw new IllegalArgumentException(type + " is not length-delimited");
        }
        return message(in.nested(), type);
      }
    }
  }

  private static Map<String, Map<Integer, Field>> table() {
    Map<String, Map<Integer, Field>> loaded = messages;
    if (loaded != null) {
      return loaded;
    }
    synchronized (Protobuf.class) {
      if (messages == null) {
        messages = load();
      }
      return messages;
    }
  }

  private static Map<String, Map<Integer, Field>> load() {
    Map<String, Map<Integer, Field>> table = new HashMap<>();
    try (InputStream in = Protobuf.class.getResourceAsStream("protobuf.tsv")) {
      if (in == null) {
        throw new IllegalStateException("protobuf.tsv is missing from devkube-testkit");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t", -1);
        table
            .computeIfAbsent(f[0], k -> new HashMap<>())
            .put(Integer.parseInt(f[1]), new Field(f[2], f[3], f[4]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Messages without fields (for example an empty status) still exist.
    return table;
  }

  /** A cursor over a slice of bytes in the protobuf wire format. */
  private static final class Reader {
    private final byte[] bytes;
    private int position;
    private final int end;

    Reader(byte[] bytes, int start, int end) {
      if (start < 0 || end > bytes.length || start > end) {
        throw new IndexOutOfBoundsException("a field runs past the end of the body");
      }
      this.bytes = bytes;
      this.position = start;
      this.end = end;
    }

    boolean more() {
      return position < end;
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= end) {
          throw new IndexOutOfBoundsException("a varint runs past the end of the body");
        }
        byte b = bytes[position++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    int fixed32() {
      int value = ByteBuffer.wrap(bytes, position, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      position += 4;
      return value;
    }

    long fixed64() {
      long value = ByteBuffer.wrap(bytes, position, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      position += 8;
      return value;
    }

    double fixed64AsDouble() {
      return Double.longBitsToDouble(fixed64());
    }

    Reader nested() {
      int length = (int) varint();
      Reader nested = new Reader(bytes, position, position + length);
      position += length;
      return nested;
    }

    byte[] bytes() {
      int length = (int) varint();
      if (length < 0 || position + length > end) {
        throw new IndexOutOfBoundsException("a field runs past the end of the body");
      }
      byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + length);
      position += length;
      return value;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    void skip(int wire) {
      switch (wire) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 2 -> {
          // The length first: "position += varint()" would add to the position before the read.
          int length = (int) varint();
          position += length;
        }
        case 5 -> position += 4;
        default -> throw new IllegalArgumentException("unknown wire type " + wire);
      }
      if (position > end) {
        throw new IndexOutOfBoundsException("a field runs past the end of the body");
      }
    }
  }
}
