package dev.devkube.testkit;

/**
 * One request a fake received, for a test's assertions.
 *
 * @param method the HTTP method
 * @param path the path
 * @param query the raw query string, or empty
 * @param contentType the request's content type, or "null" when it had none
 * @param body the request body, or empty
 */
public record ApiRequest(
    String method, String path, String query, String contentType, String body) {
  @Override
  public String toString() {
    return method + " " + path + (query.isEmpty() ? "" : "?" + query);
  }
}
