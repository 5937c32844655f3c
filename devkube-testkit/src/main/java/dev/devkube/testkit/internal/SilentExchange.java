package dev.devkube.testkit.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * An exchange whose answer goes nowhere: the request is handled in full (the change is made), then
 * the caller drops the connection, so the client sees an answer lost after the server acted.
 */
final class SilentExchange extends HttpExchange {
  private final HttpExchange real;
  private final Headers responseHeaders = new Headers();
  private int code = -1;

  SilentExchange(HttpExchange real) {
    this.real = real;
  }

  @Override
  public Headers getRequestHeaders() {
    return real.getRequestHeaders();
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return real.getRequestURI();
  }

  @Override
  public String getRequestMethod() {
    return real.getRequestMethod();
  }

  @Override
  public HttpContext getHttpContext() {
    return real.getHttpContext();
  }

  @Override
  public void close() {
    // the real exchange is closed, without an answer, by the caller
  }

  @Override
  public InputStream getRequestBody() {
    return real.getRequestBody();
  }

  @Override
  public OutputStream getResponseBody() {
    return OutputStream.nullOutputStream();
  }

  @Override
  public void sendResponseHeaders(int rCode, long responseLength) {
    this.code = rCode;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return real.getRemoteAddress();
  }

  @Override
  public int getResponseCode() {
    return code;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return real.getLocalAddress();
  }

  @Override
  public String getProtocol() {
    return real.getProtocol();
  }

  @Override
  public @Nullable Object getAttribute(String name) {
    return real.getAttribute(name);
  }

  @Override
  public void setAttribute(String name, @Nullable Object value) {
    real.setAttribute(name, value);
  }

  @Override
  public void setStreams(@Nullable InputStream i, @Nullable OutputStream o) {
    real.setStreams(i, o);
  }

  @Override
  public @Nullable HttpPrincipal getPrincipal() {
    return real.getPrincipal();
  }
}
