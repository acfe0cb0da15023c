package io.vigil.alerts.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.security.authentication.Authentication;
import io.vigil.alerts.api.Problems;
import java.util.Optional;

/**
 * Rejects state-changing API requests authenticated by cookie that lack the user's CSRF token.
 * Requests with a bearer token (hospital integrations) are not cookie-borne and are exempt.
 */
@ServerFilter("/api/**")
public final class CsrfFilter implements Ordered {
  private final CsrfTokens tokens;

  public CsrfFilter(CsrfTokens tokens) {
    this.tokens = tokens;
  }

  @RequestFilter
  @Nullable
  public HttpResponse<?> check(HttpRequest<?> request) {
    HttpMethod m = request.getMethod();
    if (m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS) {
      return null;
    }
    if (request.getHeaders().get(HttpHeaders.AUTHORIZATION) != null) {
      return null;
    }
    Optional<Authentication> auth = request.getUserPrincipal(Authentication.class);
    if (auth.isEmpty()) {
      return null; // the security rules answer 401
    }
    if (tokens.valid(auth.get().getName(), request.getHeaders().get(CsrfTokens.HEADER))) {
      return null;
    }
    return Problems.forbidden("csrf", "missing or wrong " + CsrfTokens.HEADER + " header");
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.SECURITY.after();
  }
}
