package io.vigil.alerts.api;

import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.JsonMapper;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.schemas.http.InstanceForwarding;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks the instance holding a part of a patient's history for it, once, with the caller's own
 * credential, so the owner authenticates, authorises (care team) and audits the read itself. The
 * {@value InstanceForwarding#FORWARDED} header stops a second hop. Waits at most {@code
 * vigil.alerts.forward-timeout} (3 s). With HTTPS on ({@code VIGIL_TLS_ENABLED}) it asks over
 * HTTPS, trusting {@code VIGIL_TLS_TRUSTSTORE} (else the JDK's certificate authorities); the
 * owner's certificate must name the host it advertises.
 */
@Singleton
public final class HistoryForwarder {
  private final InstanceForwarding forwarding;
  private final Duration timeout;

  /** The owner's answer as it came. */
  public record Answer(int status, String body, String retryAfter) {}

  /** The owner could not be asked or did not answer in time. */
  public static final class Unreachable extends Exception {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public HistoryForwarder(
      AlertsConfig config,
      @Value("${micronaut.server.ssl.enabled:false}") boolean tls,
      @Value("${vigil.tls.trust-store.path:}") String trustStore,
      @Value("${vigil.tls.trust-store.password:}") String trustStorePassword,
      @Value("${vigil.tls.trust-store.type:PKCS12}") String trustStoreType) {
    this.timeout = config.forwardTimeout();
    this.forwarding =
        new InstanceForwarding(tls, trustStore, trustStorePassword, trustStoreType, timeout);
  }

  /** The {@code detail} of the owner's problem+json answer, or "no detail". */
  static String detail(Answer answer, JsonMapper json) {
    try {
      Object detail = json.readValue(answer.body(), Map.class).get("detail");
      return detail == null ? "no detail" : detail.toString();
    } catch (IOException | RuntimeException e) {
      return "no detail";
    }
  }

  public static boolean isForwarded(HttpRequest<?> request) {
    return request.getHeaders().contains(InstanceForwarding.FORWARDED);
  }

  /** GET {@code pathAndQuery} on {@code owner} as the caller of {@code request}. */
  public Answer get(HostInfo owner, String pathAndQuery, HttpRequest<?> request)
      throws Unreachable {
    Map<String, List<String>> headers = new HashMap<>();
    for (String name : InstanceForwarding.CREDENTIAL_HEADERS) {
      headers.put(name, request.getHeaders().getAll(name));
    }
    try {
      HttpResponse<String> answer =
          forwarding
              .client()
              .send(
                  forwarding.get(owner.host(), owner.port(), pathAndQuery, headers, timeout),
                  HttpResponse.BodyHandlers.ofString());
      return new Answer(
          answer.statusCode(),
          answer.body(),
          answer.headers().firstValue("Retry-After").orElse(null));
    } catch (HttpTimeoutException e) {
      throw new Unreachable(
          "the instance holding it ("
              + owner
              + ") did not answer within "
              + timeout.toSeconds()
              + " s",
          e);
    } catch (IOException e) {
      throw new Unreachable("the instance holding it (" + owner + ") cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unreachable("interrupted while asking " + owner, e);
    }
  }
}
