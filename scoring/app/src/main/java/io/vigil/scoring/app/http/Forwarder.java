package io.vigil.scoring.app.http;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemException;
import io.vigil.schemas.http.InstanceForwarding;
import io.vigil.scoring.app.problem.ProblemType;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  public static final String FORWARDED = InstanceForwarding.FORWARDED;

  private final InstanceForwarding forwarding;

  public Forwarder(
      @Value("${micronaut.server.ssl.enabled:false}") boolean tls,
      @Value("${vigil.tls.trust-store.path:}") String trustStore,
      @Value("${vigil.tls.trust-store.password:}") String trustStorePassword,
      @Value("${vigil.tls.trust-store.type:PKCS12}") String trustStoreType) {
    this.forwarding =
        new InstanceForwarding(
            tls, trustStore, trustStorePassword, trustStoreType, Duration.ofSeconds(2));
  }

  public MutableHttpResponse<String> forward(HttpRequest<?> request, HostInfo owner) {
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : InstanceForwarding.CREDENTIAL_HEADERS) {
      headers.put(name, request.getHeaders().getAll(name));
    }
    try {
      java.net.http.HttpResponse<String> answer =
          forwarding
              .client()
              .send(
                  forwarding.get(
                      owner.host(),
                      owner.port(),
                      request.getUri().toString(),
                      headers,
                      Duration.ofSeconds(10)),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
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
    return new ProblemException(
        Problem.of(ProblemType.UNAVAILABLE, detail).retryAfter(java.time.Duration.ofSeconds(2)));
  }
}
