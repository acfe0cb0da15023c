package io.vigil.alerts.security;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.vigil.alerts.api.Problems;
import java.time.Duration;

/**
 * Answers a throttled sign-in with 429 and Retry-After instead of the login handler's 401, so the
 * nurse sees why and for how long, rather than "wrong password" for a password that may be right.
 */
@ServerFilter("/login")
public final class LoginThrottleFilter {

  @ResponseFilter
  @Nullable
  public HttpResponse<?> throttled(HttpRequest<?> request) {
    return request
        .getAttribute(LocalAuthenticationProvider.THROTTLED, Duration.class)
        .map(LoginThrottleFilter::tooMany)
        .orElse(null);
  }

  private static HttpResponse<?> tooMany(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return Problems.of(
            HttpStatus.TOO_MANY_REQUESTS,
            "login-throttled",
            "Too many failed sign-ins",
            "too many failed sign-ins for this user from this address; try again in "
                + seconds
                + " s")
        .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
  }
}
