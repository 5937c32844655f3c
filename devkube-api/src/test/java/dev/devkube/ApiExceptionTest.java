package dev.devkube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiExceptionTest {
  @Test
  void statusCodesBecomeTheMatchingSubclass() {
    assertThat(ApiException.of("m", ApiError.of(401, "unauthorized", "Unable to authenticate you")))
        .isExactlyInstanceOf(AuthenticationException.class);
    assertThat(ApiException.of("m", ApiError.of(403, "Forbidden", "no")))
        .isInstanceOfSatisfying(
            AuthenticationException.class, e -> assertThat(e.isForbidden()).isTrue());
    assertThat(ApiException.of("m", ApiError.of(404, "not_found", "x")))
        .isExactlyInstanceOf(NotFoundException.class);
    assertThat(ApiException.of("m", ApiError.of(409, "Conflict", "x")))
        .isExactlyInstanceOf(ConflictException.class);
    assertThat(ApiException.of("m", ApiError.of(410, "Expired", "x")))
        .isExactlyInstanceOf(GoneException.class);
    assertThat(ApiException.of("m", ApiError.of(422, "Invalid", "x")))
        .isExactlyInstanceOf(InvalidException.class);
    assertThat(ApiException.of("m", ApiError.of(429, "too_many_requests", "x")))
        .isExactlyInstanceOf(RateLimitException.class);
    assertThat(ApiException.of("m", ApiError.of(500, "server_error", "x")))
        .isExactlyInstanceOf(ApiException.class);
    assertThat(ApiException.of("m", ApiError.of(400, "bad_request", "x")))
        .isExactlyInstanceOf(ApiException.class);
  }

  @Test
  void messageCarriesStatusReasonAndRequestId() {
    ApiException e =
        ApiException.of(
            "DigitalOcean rejected the token (unauthorized): check DIGITALOCEAN_ACCESS_TOKEN",
            ApiError.of(401, "unauthorized", "Unable to authenticate you.")
                .withRequestId("4d9d8375-3c56-4925-a3e7-eceed4e3a9d1"));

    assertThat(e)
        .hasMessage(
            "DigitalOcean rejected the token (unauthorized): check"
                + " DIGITALOCEAN_ACCESS_TOKEN (HTTP 401 unauthorized, request id"
                + " 4d9d8375-3c56-4925-a3e7-eceed4e3a9d1)");
    assertThat(e.statusCode()).isEqualTo(401);
    assertThat(e.reason()).isEqualTo("unauthorized");
    assertThat(e.serverMessage()).isEqualTo("Unable to authenticate you.");
    assertThat(e.requestId()).isEqualTo("4d9d8375-3c56-4925-a3e7-eceed4e3a9d1");
    assertThat(e.isRetryable()).isFalse();
    assertThat(ApiException.of("gone", ApiError.of(404, null, null))).hasMessage("gone (HTTP 404)");
  }

  @Test
  void rateLimitsAndTransientServerErrorsAreRetryable() {
    for (int code : new int[] {429, 500, 502, 503, 504}) {
      assertThat(ApiException.of("m", ApiError.of(code, null, null)).isRetryable())
          .as("%d", code)
          .isTrue();
    }
    for (int code : new int[] {400, 401, 403, 404, 409, 422, 501}) {
      assertThat(ApiException.of("m", ApiError.of(code, null, null)).isRetryable())
          .as("%d", code)
          .isFalse();
    }
    ApiException limited =
        ApiException.of(
            "slow down",
            ApiError.of(429, "too_many_requests", "API Rate limit exceeded.")
                .withRetryAfter(Duration.ofSeconds(7)));
    assertThat(limited.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(ApiException.of("m", ApiError.of(503, null, null)).retryAfter()).isEmpty();
  }

  @Test
  void conflictTellsAlreadyExistsFromAStaleVersion() {
    ConflictException exists =
        (ConflictException) ApiException.of("m", ApiError.of(409, "AlreadyExists", "x"));
    ConflictException stale =
        (ConflictException) ApiException.of("m", ApiError.of(409, "Conflict", "x"));

    assertThat(exists.isAlreadyExists()).isTrue();
    assertThat(stale.isAlreadyExists()).isFalse();
  }

  @Test
  void invalidCarriesTheFieldCauses() {
    ApiError.Cause cause =
        new ApiError.Cause(
            "spec.ports[0].nodePort",
            "FieldValueInvalid",
            "Invalid value: 30080: provided port is already allocated");
    ApiException e =
        ApiException.of(
            "Service web is invalid",
            ApiError.of(422, "Invalid", "Service \"web\" is invalid").withCauses(List.of(cause)));

    assertThat(e).isInstanceOf(InvalidException.class);
    assertThat(e.causes()).containsExactly(cause);
    assertThat(cause)
        .hasToString(
            "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated");
  }

  @Test
  void allExceptionsShareTheRoot() {
    assertThat(new TransportException("x", null)).isInstanceOf(DevkubeException.class);
    assertThat(new WaitTimeoutException("a", Duration.ofMinutes(20), "s"))
        .isInstanceOf(DevkubeException.class);
    assertThat(new WaitFailedException("a", "error", "r")).isInstanceOf(DevkubeException.class);
    assertThat(ApiException.of("m", ApiError.of(500, null, null)))
        .isInstanceOf(DevkubeException.class);
  }
}
