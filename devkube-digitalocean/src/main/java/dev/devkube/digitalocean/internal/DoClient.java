package dev.devkube.digitalocean.internal;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.JsonDataException;
import com.squareup.moshi.JsonEncodingException;
import com.squareup.moshi.Moshi;
import dev.devkube.ApiError;
import dev.devkube.ApiException;
import dev.devkube.Backoff;
import dev.devkube.DevkubeException;
import dev.devkube.TransportException;
import dev.devkube.Waiter;
import dev.devkube.digitalocean.internal.DoJson.ErrorJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ProtocolException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;
import org.jspecify.annotations.Nullable;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.Retrofit;
import retrofit2.converter.moshi.MoshiConverterFactory;

/**
 * The HTTP side of the DigitalOcean provider: one OkHttp client with one interceptor per concern,
 * the Retrofit interface over it, and the mapping of every failure to devkube's exceptions.
 */
public final class DoClient {
  private final Retrofit retrofit;
  private final DoApi api;
  private final DoVolumesApi volumes;
  private final DoNfsApi nfs;
  private final Moshi moshi = new Moshi.Builder().build();
  private final JsonAdapter<ErrorJson> errorAdapter = moshi.adapter(ErrorJson.class);
  private final OkHttpClient http;
  private final boolean ownsHttp;
  private final HttpUrl base;
  private final RateLimits rateLimits;
  private final Waiter.Clock sleeper;
  private final Clock clock;
  private final DoubleSupplier random;

  /** Everything the client is made from; the public builder fills it in. */
  public record Settings(
      String token,
      HttpUrl baseUrl,
      @Nullable OkHttpClient okHttpClient,
      String userAgent,
      Duration connectTimeout,
      Duration callTimeout,
      int maxRetries,
      Backoff retryBackoff,
      Duration longestRetryWait,
      Waiter.Clock sleeper,
      Clock clock,
      DoubleSupplier random) {}

  public DoClient(Settings settings) {
    this.base = settings.baseUrl();
    this.sleeper = settings.sleeper();
    this.clock = settings.clock();
    this.random = settings.random();
    this.rateLimits = new RateLimits(clock);
    OkHttpClient shared = settings.okHttpClient();
    this.ownsHttp = shared == null;
    OkHttpClient.Builder builder =
        shared == null ? new OkHttpClient.Builder() : shared.newBuilder();
    // Order matters: retries see each attempt's status; auth and the user agent are set on
    // every attempt; the rate-limit and logging interceptors see every response.
    this.http =
        builder
            // OkHttp would otherwise resend a POST after some connection failures; RetryInterceptor
            // decides instead, knowing which methods are safe to repeat.
            .retryOnConnectionFailure(false)
            .connectTimeout(settings.connectTimeout())
            .callTimeout(settings.callTimeout())
            .addInterceptor(new UserAgentInterceptor(settings.userAgent()))
            .addInterceptor(
                new RetryInterceptor(
                    settings.maxRetries(),
                    settings.retryBackoff(),
                    settings.longestRetryWait(),
                    sleeper,
                    clock,
                    random))
            .addInterceptor(new AuthInterceptor(settings.token(), base))
            .addInterceptor(rateLimits)
            .addInterceptor(new LoggingInterceptor())
            .build();
    this.retrofit =
        new Retrofit.Builder()
            .baseUrl(base)
            .client(http)
            .addConverterFactory(MoshiConverterFactory.create(moshi))
            .build();
    this.api = retrofit.create(DoApi.class);
    this.volumes = retrofit.create(DoVolumesApi.class);
    this.nfs = retrofit.create(DoNfsApi.class);
  }

  DoApi api() {
    return api;
  }

  /** The volume and volume snapshot endpoints. */
  DoVolumesApi volumes() {
    return volumes;
  }

  /** The managed NFS share endpoints. */
  DoNfsApi nfs() {
    return nfs;
  }

  HttpUrl base() {
    return base;
  }

  /** A waiter with the client's clock, for waits of {@code timeout}. */
  Waiter waiter(Duration timeout) {
    return Waiter.builder().timeout(timeout).clock(sleeper).random(random).build();
  }

  /** How long a poll should hold off so as not to run into the rate limit. */
  Duration rateLimitDelay() {
    return rateLimits.delayBeforeNextRequest();
  }

  /**
   * Runs {@code call} and returns its body.
   *
   * @param action what the call does, for messages: {@code get cluster 6f3b...}
   */
  <T> T call(Call<T> call, String action) {
    Response<T> response = execute(call, action);
    T body = response.body();
    if (body == null) {
      throw new TransportException(
          "DigitalOcean answered "
              + action
              + " with an empty body"
              + " (HTTP "
              + response.code()
              + ")",
          null);
    }
    return body;
  }

  /** Runs a call whose response has no body that matters. */
  void callNoBody(Call<?> call, String action) {
    execute(call, action);
  }

  /** Runs a call whose response body is text, e.g. YAML. */
  String callText(Call<ResponseBody> call, String action) {
    try (ResponseBody body = call(call, action)) {
      return body.string();
    } catch (IOException e) {
      throw new TransportException(
          "could not read DigitalOcean's answer to " + action + ": " + e, e);
    }
  }

  private <T> Response<T> execute(Call<T> call, String action) {
    Response<T> response;
    try {
      response = call.execute();
    } catch (JsonDataException | JsonEncodingException | EOFException e) {
      throw new TransportException(
          "DigitalOcean's answer to "
              + action
              + " was cut short or is not the JSON expected: "
              + e.getMessage(),
          e);
    } catch (ProtocolException e) {
      throw new TransportException(
          "DigitalOcean ("
              + base.host()
              + ") answered "
              + action
              + ", but not as HTTP allows: "
              + e.getMessage()
              + "; it may have done it: look before trying again",
          e);
    } catch (InterruptedIOException e) {
      throw new TransportException(
          action + " was interrupted or timed out: " + e.getMessage() + mayHaveActed(call, e), e);
    } catch (IOException e) {
      if (RetryInterceptor.neverSent(e)) {
        throw new TransportException(
            "could not reach DigitalOcean (" + base.host() + ") to " + action + ": " + e, e);
      }
      throw new TransportException(
          "the connection to DigitalOcean ("
              + base.host()
              + ") failed during "
              + action
              + ": "
              + e
              + mayHaveActed(call, e),
          e);
    }
    if (!response.isSuccessful()) {
      throw error(response, action);
    }
    return response;
  }

  /** For a change whose answer was lost: it may have been made, and how to find out. */
  private static String mayHaveActed(Call<?> call, IOException e) {
    String method = call.request().method();
    if (method.equals("GET") || method.equals("HEAD") || RetryInterceptor.neverSent(e)) {
      return "";
    }
    return "; DigitalOcean may have made the change before the answer was lost: look it up"
        + " (clusters().find(name), or the cluster's get()) before trying again";
  }

  private DevkubeException error(Response<?> response, String action) {
    ErrorJson json = null;
    try (ResponseBody body = response.errorBody()) {
      String text = body == null ? "" : body.string();
      if (!text.isBlank()) {
        try {
          json = errorAdapter.fromJson(text);
        } catch (IOException | JsonDataException e) {
          json = new ErrorJson();
          json.message = text.length() > 200 ? text.substring(0, 200) + "..." : text.strip();
        }
      }
    } catch (IOException e) {
      // The status alone still says what went wrong.
    }
    int code = response.code();
    String requestId =
        json != null && json.requestId != null
            ? json.requestId
            : response.headers().get("x-request-id");
    String reason = json != null ? json.id : null;
    String message = json != null ? json.message : null;
    ApiError error =
        new ApiError(
            code,
            reason,
            message,
            requestId,
            List.of(),
            RateLimits.retryAfter(response.raw(), clock));
    return ApiException.of(describe(code, reason, message, action), error);
  }

  private static String describe(
      int code, @Nullable String reason, @Nullable String message, String action) {
    if (code == 401) {
      return "DigitalOcean rejected the token ("
          + (reason == null ? "unauthorized" : reason)
          + "): check DIGITALOCEAN_ACCESS_TOKEN";
    }
    String said = message == null || message.isBlank() ? "" : ": " + message;
    if (code == 403) {
      return "DigitalOcean refused to "
          + action
          + said
          + " (the token may lack a kubernetes scope this needs)";
    }
    if (code == 429) {
      return "DigitalOcean's rate limit stopped " + action + said;
    }
    return action + " failed" + said;
  }

  /** Releases the connections and threads this client made; a caller's client is left alone. */
  public void close() {
    if (ownsHttp) {
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
