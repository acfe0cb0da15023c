package io.vigil.ingest.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.problem.ProblemType;
import io.vigil.kit.problem.Problem;
import io.vigil.kit.problem.ProblemRenderer;
import io.vigil.schemas.access.ApiKeyPrincipal;
import io.vigil.schemas.access.Scope;
import java.time.Duration;
import java.util.Optional;

/**
 * Authenticates every API request by its bearer key, requires the key's {@code write} scope (every
 * route of this service writes: 403 {@code insufficient-scope} naming the missing scope otherwise)
 * and applies the source's rate limit. The authenticated {@link Source} is left on the request for
 * the controllers; the tenant always comes from the key, never from the body.
 */
@ServerFilter(patterns = {"/v1/**", "/fhir/**"})
public final class AuthFilter implements Ordered {
  private static final String SOURCE = "vigil.source";

  /** Every route behind this filter writes readings or patient context. */
  private static final Scope REQUIRED = Scope.WRITE;

  private final ApiKeyStore keys;
  private final RateLimiter limiter;
  private final ProblemRenderer renderer;

  public AuthFilter(ApiKeyStore keys, IngestConfig config, ProblemRenderer renderer) {
    this.keys = keys;
    this.limiter = new RateLimiter(config.rateLimitPerSecond(), config.rateLimitBurst());
    this.renderer = renderer;
  }

  @Override
  public int getOrder() {
    return HIGHEST_PRECEDENCE + 100;
  }

  @RequestFilter
  @Nullable
  HttpResponse<?> authenticate(HttpRequest<?> request) {
    Optional<String> header = request.getHeaders().get(HttpHeaders.AUTHORIZATION, String.class);
    if (header.isEmpty()) {
      return renderer.render(
          request,
          Problem.of(
              ProblemType.UNAUTHORIZED, "Authorization: Bearer <API key> header is missing"));
    }
    String value = header.get().trim();
    if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return renderer.render(
          request,
          Problem.of(ProblemType.UNAUTHORIZED, "Authorization header must be 'Bearer <API key>'"));
    }
    Optional<ApiKeyPrincipal> principal = keys.authenticate(value.substring(7).trim());
    if (principal.isEmpty()) {
      return renderer.render(
          request, Problem.of(ProblemType.UNAUTHORIZED, "API key is unknown or revoked"));
    }
    if (!principal.get().has(REQUIRED)) {
      return renderer.render(
          request,
          Problem.of(
                  ProblemType.INSUFFICIENT_SCOPE,
                  "API key "
                      + principal.get().keyId()
                      + " lacks the '"
                      + REQUIRED.code()
                      + "' scope this endpoint requires; it has: "
                      + (principal.get().scopes().isEmpty()
                          ? "none"
                          : Scope.format(principal.get().scopes())))
              .with("requiredScope", REQUIRED.code()));
    }
    Source source =
        new Source(principal.get().sourceId(), principal.get().tenant(), principal.get().keyId());
    Duration wait = limiter.acquire(source.sourceId(), System.nanoTime());
    if (!wait.isZero()) {
      return renderer.render(
          request,
          Problem.of(
                  ProblemType.RATE_LIMITED,
                  "source " + source.sourceId() + " exceeded its request rate; retry later")
              .retryAfter(wait));
    }
    request.setAttribute(SOURCE, source);
    return null;
  }

  /** The source the filter authenticated for this request. */
  public static Source sourceOf(HttpRequest<?> request) {
    return request
        .getAttribute(SOURCE, Source.class)
        .orElseThrow(() -> new IllegalStateException("request passed no authentication"));
  }
}
