package dev.devkube.bench;

import com.squareup.moshi.JsonAdapter;
import com.squareup.moshi.Moshi;
import com.squareup.moshi.Types;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The floor: what a straightforward program does with OkHttp, Moshi and the JDK only, and no
 * Kubernetes client. Reads the kubeconfig's fields with regular expressions, puts the client key in
 * a PKCS12 KeyStore for the JDK's KeyManagerFactory, and sends plain requests. Start-up and
 * throughput only: it has no watch.
 */
public final class FloorApp implements Workload.Client {
  private static final MediaType JSON = MediaType.get("application/json");
  private final OkHttpClient http;
  private final String server;
  private final JsonAdapter<Map<String, Object>> json =
      new Moshi.Builder()
          .build()
          .adapter(Types.newParameterizedType(Map.class, String.class, Object.class));

  private FloorApp(Path kubeconfig) throws Exception {
    String text = Files.readString(kubeconfig);
    server = field(text, "server");
    CertificateFactory x509 = CertificateFactory.getInstance("X.509");
    X509Certificate ca = certificate(x509, field(text, "certificate-authority-data"));
    X509Certificate client = certificate(x509, field(text, "client-certificate-data"));
    String keyPem = decode(field(text, "client-key-data"));
    byte[] der =
        Base64.getMimeDecoder()
            .decode(keyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));

    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", key, new char[0], new X509Certificate[] {client});
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    KeyStore authorities = KeyStore.getInstance("PKCS12");
    authorities.load(null, null);
    authorities.setCertificateEntry("ca", ca);
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(authorities);
    X509TrustManager trust = (X509TrustManager) trustManagers.getTrustManagers()[0];
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
    http = new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), trust).build();
  }

  public static void main(String[] args) throws Exception {
    Workload.main("floor", args, FloorApp::new);
  }

  private static String field(String kubeconfig, String name) {
    Matcher matcher =
        Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":\\s*\"?([^\"\\s]+)\"?\\s*$")
            .matcher(kubeconfig);
    if (!matcher.find()) {
      throw new IllegalArgumentException("the kubeconfig has no " + name);
    }
    return matcher.group(1);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  private static X509Certificate certificate(CertificateFactory x509, String base64)
      throws Exception {
    return (X509Certificate)
        x509.generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
  }

  private Map<String, Object> send(String method, String path, Map<String, Object> body)
      throws IOException {
    RequestBody content = body.isEmpty() ? null : RequestBody.create(json.toJson(body), JSON);
    Request request = new Request.Builder().url(server + path).method(method, content).build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new IOException(method + " " + path + " answered " + response.code() + ": " + text);
      }
      Map<String, Object> parsed = json.fromJson(text);
      if (parsed == null) {
        throw new IOException(method + " " + path + " answered null");
      }
      return parsed;
    }
  }

  private static String path(String namespace) {
    return "/api/v1/namespaces/" + namespace + "/configmaps";
  }

  @Override
  public int list(String namespace) throws IOException {
    return ((List<?>) send("GET", path(namespace), Map.of()).get("items")).size();
  }

  @Override
  public Object create(String namespace, String name, String value) throws IOException {
    Map<String, Object> configMap = new LinkedHashMap<>();
    configMap.put("apiVersion", "v1");
    configMap.put("kind", "ConfigMap");
    configMap.put("metadata", Map.of("name", name, "namespace", namespace));
    configMap.put("data", Map.of("v", value));
    return send("POST", path(namespace), configMap);
  }

  @Override
  public void get(String namespace, String name) throws IOException {
    send("GET", path(namespace) + "/" + name, Map.of());
  }

  @Override
  @SuppressWarnings("unchecked")
  public void replace(Object created, String value) throws IOException {
    Map<String, Object> configMap = new LinkedHashMap<>((Map<String, Object>) created);
    configMap.put("data", Map.of("v", value));
    Map<String, Object> metadata = (Map<String, Object>) configMap.get("metadata");
    send(
        "PUT",
        path(String.valueOf(metadata.get("namespace"))) + "/" + metadata.get("name"),
        configMap);
  }

  @Override
  public void delete(String namespace, String name) throws IOException {
    send("DELETE", path(namespace) + "/" + name, Map.of());
  }

  @Override
  public void watch(String namespace, LongConsumer onTimestamp) {
    throw new UnsupportedOperationException("the floor program has no watch");
  }

  @Override
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
