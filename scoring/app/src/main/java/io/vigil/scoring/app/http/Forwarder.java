package io.vigil.scoring.app.http;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.vigil.scoring.app.problem.Problem;
import io.vigil.scoring.app.problem.ProblemException;
import io.vigil.scoring.app.problem.ProblemType;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Forwards a risk query once to the instance owning the patient's partition and relays its answer.
 * The forwarded request carries the caller's own credential (Authorization header and session
 * cookie), so the owner authenticates and authorises it exactly as if asked directly; the {@value
 * #FORWARDED} header only stops a second hop and grants nothing.
 *
 * <p>With HTTPS on ({@code VIGIL_TLS_ENABLED}) it forwards over HTTPS, trusting the certificate
 * authorities of {@code VIGIL_TLS_TRUSTSTORE} (else the JDK's); the owner's certificate must name
 * the host it advertises ({@code SCORING_HOST}).
 */
@Singleton
public final class Forwarder {
  /** Marks a request one instance forwarded to another. */
  public static final String FORWARDED = "X-Vigil-Forwarded";

  private final HttpClient client;
  private final String scheme;

  public Forwarder(
      @Value("${micronaut.server.ssl.enabled:false}") boolean tls,
      @Value("${vigil.tls.trust-store.path:}") String trustStore,
      @Value("${vigil.tls.trust-store.password:}") String trustStorePassword,
      @Value("${vigil.tls.trust-store.type:PKCS12}") String trustStoreType) {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls && !trustStore.isBlank()) {
      builder.sslContext(trusting(Path.of(trustStore), trustStorePassword, trustStoreType));
    }
    this.client = builder.build();
    this.scheme = tls ? "https" : "http";
  }

  static SSLContext trusting(Path trustStore, String password, String type) {
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

  public MutableHttpResponse<String> forward(HttpRequest<?> request, HostInfo owner) {
    URI target =
        URI.create(
            scheme + "://" + owner.host() + ":" + owner.port() + request.getUri().toString());
    java.net.http.HttpRequest.Builder out =
        java.net.http.HttpRequest.newBuilder(target)
            .header(FORWARDED, "1")
            .timeout(Duration.ofSeconds(10))
            .GET();
    request
        .getHeaders()
        .getAll(HttpHeaders.AUTHORIZATION)
        .forEach(v -> out.header("Authorization", v));
    request.getHeaders().getAll(HttpHeaders.COOKIE).forEach(v -> out.header("Cookie", v));
    try {
      java.net.http.HttpResponse<String> answer =
          client.send(out.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      MutableHttpResponse<String> relayed =
          HttpResponse.<String>status(HttpStatus.valueOf(answer.statusCode()))
              .body(answer.body())
              .contentType(answer.headers().firstValue("Content-Type").orElse("application/json"));
      for (String header : new String[] {"Retry-After", "WWW-Authenticate"}) {
        answer.headers().firstValue(header).ifPresent(v -> relayed.header(header, v));
      }
      return relayed;
    } catch (IOException e) {
      throw unavailable(
          "the instance owning this patient (" + owner + ") did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while asking " + owner);
    }
  }

  static ProblemException unavailable(String detail) {
    return new ProblemException(Problem.of(ProblemType.UNAVAILABLE, detail).retryAfter(2));
  }
}
