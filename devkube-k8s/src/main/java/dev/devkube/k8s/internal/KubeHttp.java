package dev.devkube.k8s.internal;

import dev.devkube.ApiError;
import dev.devkube.ApiException;
import dev.devkube.Backoff;
import dev.devkube.NotFoundException;
import dev.devkube.TransportException;
import dev.devkube.Waiter;
import dev.devkube.k8s.KubeObject;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;

/**
 * Sends requests to one API server and turns its answers into {@link KubeObject}s, and its {@code
 * Status} errors into devkube's exceptions with the server's message verbatim.
 */
public final class KubeHttp {
  public static final MediaType JSON = MediaType.get("application/json");

  private final OkHttpClient http;

  /** The attempts record of each call being executed, for the retry interceptor. */
  private final Map<Call, Attempts> inFlight = new java.util.concurrent.ConcurrentHashMap<>();

  private final boolean ownsHttp;
  private final HttpUrl server;
  private volatile @Nullable OkHttpClient streamingClient;
  private volatile @Nullable OkHttpClient webSocketClient;

  /** Everything a connection is made from. */
  public record Settings(
      URI server,
      Tls tls,
      boolean insecure,
      @Nullable String tlsServerName,
      TokenSource tokens,
      @Nullable OkHttpClient okHttpClient,
      String userAgent,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRetries,
      Backoff retryBackoff,
      Waiter.Clock clock,
      DoubleSupplier random) {}

  public KubeHttp(Settings settings) {
    HttpUrl url = HttpUrl.get(settings.server());
    if (url == null) {
      throw new IllegalArgumentException(
          "server "
              + settings.server()
              + " is not an http or https URL:"
              + " give https://host[:port]");
    }
    this.server = url;
    OkHttpClient shared = settings.okHttpClient();
    this.ownsHttp = shared == null;
    OkHttpClient.Builder builder =
        shared == null ? new OkHttpClient.Builder() : shared.newBuilder();
    builder
        .sslSocketFactory(settings.tls().socketFactory(), settings.tls().trustManager())
        .retryOnConnectionFailure(false)
        .connectTimeout(settings.connectTimeout())
        .readTimeout(settings.readTimeout())
        .addInterceptor(KubeInterceptors.userAgent(settings.userAgent()))
        .addInterceptor(
            new KubeInterceptors.Retry(
                settings.maxRetries(),
                settings.retryBackoff(),
                Duration.ofSeconds(30),
                settings.clock(),
                settings.random(),
                inFlight::get))
        .addInterceptor(new KubeInterceptors.BearerAuth(settings.tokens()))
        .addInterceptor(new KubeInterceptors.Warnings())
        .addInterceptor(KubeInterceptors.logging());
    if (settings.insecure()) {
      builder.hostnameVerifier((host, session) -> true);
    } else if (settings.tlsServerName() != null) {
      // OkHttp's own verifier, asked about the kubeconfig's tls-server-name instead of the host.
      String expected = settings.tlsServerName();
      javax.net.ssl.HostnameVerifier standard = okhttp3.internal.tls.OkHostnameVerifier.INSTANCE;
      builder.hostnameVerifier((host, session) -> standard.verify(expected, session));
    }
    this.http = builder.build();
  }

  public HttpUrl server() {
    return server;
  }

  public OkHttpClient okHttpClient() {
    return http;
  }

  /** The URL of {@code path} (which starts with '/') with query parameters name, value, ... */
  public HttpUrl url(String path, @Nullable String... query) {
    HttpUrl.Builder url = server.newBuilder();
    String base =
        server.encodedPath().endsWith("/")
            ? server.encodedPath().substring(0, server.encodedPath().length() - 1)
            : server.encodedPath();
    url.encodedPath(base + path);
    for (int i = 0; i + 1 < query.length; i += 2) {
      if (query[i + 1] != null) {
        // Names are literals at every call site; only values may be absent.
        url.addQueryParameter(Objects.requireNonNull(query[i]), query[i + 1]);
      }
    }
    return url.build();
  }

  /** Sends a request and returns the JSON object it answers. */
  public KubeObject send(
      String method,
      HttpUrl url,
      @Nullable String body,
      @Nullable MediaType contentType,
      String action) {
    return send(method, url, body, contentType, action, new Attempts());
  }

  /** Like {@link #send}, recording in {@code attempts} whether an answer was lost on the way. */
  public KubeObject send(
      String method,
      HttpUrl url,
      @Nullable String body,
      @Nullable MediaType contentType,
      String action,
      Attempts attempts) {
    try (Response response = execute(method, url, body, contentType, action, attempts)) {
      return KubeObject.parse(read(response, action));
    } catch (IllegalArgumentException e) {
      throw new TransportException(
          "the API server's answer to " + action + " is not a JSON object: " + e.getMessage(), e);
    }
  }

  /** Like {@link #send}, but a 404 is an empty result. */
  public Optional<KubeObject> sendOptional(
      String method,
      HttpUrl url,
      @Nullable String body,
      @Nullable MediaType contentType,
      String action) {
    try {
      return Optional.of(send(method, url, body, contentType, action));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** Sends a request and returns the text it answers, e.g. pod logs. */
  public String sendText(String method, HttpUrl url, String action) {
    try (Response response = execute(method, url, null, null, action, new Attempts())) {
      return read(response, action);
    }
  }

  /** Sends a request and returns the open response; the caller closes it. Used for streams. */
  public Response open(String method, HttpUrl url, String action) {
    return execute(method, url, null, null, action, new Attempts());
  }

  /**
   * A GET for a long-lived stream (watch, followed logs): no read timeout, since a quiet stream is
   * not a dead one; the caller may cancel it from another thread.
   */
  public Call streamCall(HttpUrl url) {
    OkHttpClient streaming = streamingClient;
    if (streaming == null) {
      streaming = http.newBuilder().readTimeout(Duration.ZERO).build();
      streamingClient = streaming;
    }
    return streaming.newCall(
        new Request.Builder().url(url).header("Accept", "application/json").build());
  }

  /**
   * The client for WebSockets (exec, attach, port-forward): no read timeout, a ping every 30
   * seconds so that an idle session is kept and a dead one found.
   */
  public OkHttpClient webSocketClient() {
    OkHttpClient client = webSocketClient;
    if (client == null) {
      client =
          http.newBuilder().readTimeout(Duration.ZERO).pingInterval(Duration.ofSeconds(30)).build();
      webSocketClient = client;
    }
    return client;
  }

  /** Runs {@code call}; returns the open response (the caller closes it) or throws the error. */
  public Response execute(Call call, String action) {
    return executeCall(call, action);
  }

  private Response execute(
      String method,
      HttpUrl url,
      @Nullable String body,
      @Nullable MediaType contentType,
      String action,
      Attempts attempts) {
    RequestBody requestBody =
        body == null ? null : RequestBody.create(body, contentType == null ? JSON : contentType);
    Request request =
        new Request.Builder()
            .url(url)
            .method(method, requestBody)
            .header("Accept", "application/json")
            .build();
    Call call = http.newCall(request);
    // Retries happen inside execute(), on this thread: the record is needed only until it returns.
    inFlight.put(call, attempts);
    try {
      return execute(call, action);
    } finally {
      inFlight.remove(call);
    }
  }

  private Response executeCall(Call call, String action) {
    Response response;
    try {
      response = call.execute();
    } catch (SSLException e) {
      throw new TransportException(
          "TLS with the API server at "
              + server.host()
              + ":"
              + server.port()
              + " failed for "
              + action
              + ": "
              + e.getMessage()
              + " (is the CA right for this cluster?)",
          e);
    } catch (InterruptedIOException e) {
      throw new TransportException(
          action + " timed out or was interrupted: " + e.getMessage() + mayHaveApplied(call, e), e);
    } catch (IOException e) {
      if (neverSent(e)) {
        throw new TransportException(
            "could not reach the API server at "
                + server.host()
                + ":"
                + server.port()
                + " to "
                + action
                + ": "
                + e,
            e);
      }
      throw new TransportException(
          "the connection to the API server at "
              + server.host()
              + ":"
              + server.port()
              + " failed during "
              + action
              + ": "
              + e
              + mayHaveApplied(call, e),
          e);
    }
    if (!response.isSuccessful()) {
      try (response) {
        throw error(response, action);
      }
    }
    return response;
  }

  /** Whether the request cannot have reached the server: no connection was made. */
  static boolean neverSent(IOException e) {
    return e instanceof ConnectException
        || e instanceof UnknownHostException
        || e instanceof NoRouteToHostException;
  }

  /** For a change whose answer was lost: it may have been made, and how to find out. */
  private static String mayHaveApplied(Call call, IOException e) {
    String method = call.request().method();
    if (method.equals("GET") || method.equals("HEAD") || neverSent(e)) {
      return "";
    }
    return "; the server may have made the change before the answer was lost: get() the object"
        + " (or kubectl get it) to see before sending it again";
  }

  private static String read(Response response, String action) {
    try {
      ResponseBody body = response.body();
      return body.string();
    } catch (IOException e) {
      throw new TransportException(
          "the API server's answer to " + action + " was cut short: " + e, e);
    }
  }

  /** Maps an error response (a Status, or anything else) to the exception for its code. */
  static ApiException error(Response response, String action) {
    String text;
    try {
      text = response.body().string();
    } catch (IOException e) {
      text = "";
    }
    int code = response.code();
    String reason = null;
    String message = null;
    List<ApiError.Cause> causes = new ArrayList<>();
    try {
      Object parsed = text.isBlank() ? null : Json.parse(text);
      if (parsed instanceof Map && "Status".equals(((Map<?, ?>) parsed).get("kind"))) {
        KubeObject status = KubeObject.from((Map<?, ?>) parsed);
        reason = status.getString("reason");
        message = status.getString("message");
        for (Object cause : status.getList("details.causes")) {
          Map<?, ?> c = (Map<?, ?>) cause;
          causes.add(
              new ApiError.Cause(
                  string(c.get("field")), string(c.get("reason")), string(c.get("message"))));
        }
      }
    } catch (IllegalArgumentException e) {
      // Not JSON: the text itself is the message.
    }
    if (message == null && !text.isBlank()) {
      String plain = text.strip();
      message = plain.length() > 300 ? plain.substring(0, 300) + "..." : plain;
    }
    if (message == null) {
      message = response.message().isEmpty() ? reasonPhrase(code) : response.message();
    }
    ApiError error =
        new ApiError(
            code,
            reason,
            message,
            response.header("Audit-Id"),
            causes,
            KubeInterceptors.Retry.retryAfter(response));
    return ApiException.of(action + " failed: " + message, error);
  }

  /** HTTP/2 responses carry no reason phrase; these are the usual ones. */
  private static String reasonPhrase(int code) {
    return switch (code) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 410 -> "Gone";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "HTTP " + code;
    };
  }

  private static String string(@Nullable Object value) {
    return value == null ? "" : value.toString();
  }

  /** Releases connections and threads, unless the OkHttp client was the caller's. */
  public void close() {
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
