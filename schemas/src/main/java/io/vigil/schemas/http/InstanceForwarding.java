package io.vigil.schemas.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the services share for asking the instance that owns a patient's partition (interactive
 * queries): the HTTP client, over HTTPS trusting {@code VIGIL_TLS_TRUSTSTORE} when TLS is on, and a
 * request that carries the caller's own credential (Authorization header and session cookie), so
 * the owner authenticates and authorises it exactly as if asked directly. The {@value #FORWARDED}
 * header only stops a second hop and grants nothing.
 */
public final class InstanceForwarding {
  /** Marks a request one instance forwarded to another. */
  public static final String FORWARDED = "X-Vigil-Forwarded";

  /** The request headers that carry the caller's credential, forwarded unchanged. */
  public static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "Cookie");

  private final HttpClient client;
  private final String scheme;

  /**
   * @param tls forward over HTTPS
   * @param trustStore certificate authorities to trust (blank: the JDK's)
   */
  public InstanceForwarding(
      boolean tls,
      String trustStore,
      String trustStorePassword,
      String trustStoreType,
      Duration connectTimeout) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout);
    if (tls && trustStore != null && !trustStore.isBlank()) {
      builder.sslContext(trusting(Path.of(trustStore), trustStorePassword, trustStoreType));
    }
    this.client = builder.build();
    this.scheme = tls ? "https" : "http";
  }

  public HttpClient client() {
    return client;
  }

  /**
   * A GET of {@code pathAndQuery} on {@code host:port}, marked forwarded, with the caller's
   * credential headers ({@code headers} by name, e.g. the incoming request's).
   */
  public HttpRequest get(
      String host,
      int port,
      String pathAndQuery,
      Map<String, List<String>> headers,
      Duration timeout) {
    HttpRequest.Builder out =
        HttpRequest.newBuilder(URI.create(scheme + "://" + host + ":" + port + pathAndQuery))
            .header(FORWARDED, "1")
            .timeout(timeout)
            .GET();
    for (String name : CREDENTIAL_HEADERS) {
      headers.getOrDefault(name, List.of()).forEach(v -> out.header(name, v));
    }
    return out.build();
  }

  /** An SSL context trusting the certificate authorities of {@code trustStore}. */
  public static SSLContext trusting(Path trustStore, String password, String type) {
    try (InputStream in = Files.newInputStream(trustStore)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("VIGIL_TLS_TRUSTSTORE: cannot read " + trustStore, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "VIGIL_TLS_TRUSTSTORE: cannot use " + trustStore + ": " + e.getMessage(), e);
    }
  }
}
