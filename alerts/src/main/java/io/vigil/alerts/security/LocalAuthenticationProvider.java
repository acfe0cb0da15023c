package io.vigil.alerts.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import io.vigil.alerts.config.AlertsConfig;
import io.vigil.alerts.metrics.AlertMetrics;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a nurse's password against the local users file. Runs on the blocking executor: PBKDF2
 * takes a few hundred milliseconds by design. Unknown user names cost the same hash as known ones,
 * so the answer time does not reveal who has an account; repeated failures are throttled ({@link
 * LoginThrottle}).
 */
@Singleton
public final class LocalAuthenticationProvider<B>
    implements HttpRequestExecutorAuthenticationProvider<B> {
  /** Request attribute: how long a throttled sign-in must wait ({@link LoginThrottleFilter}). */
  static final String THROTTLED = "vigil.login.throttled";

  /** Verified when the user name is unknown, to spend the same time as for a known one. */
  private static final String UNKNOWN_USER_HASH = PasswordHasher.hash("unknown user");

  private final UserStore users;
  private final String teamsClaim;
  private final String tenantClaim;
  private final LoginThrottle throttle;
  private final AlertMetrics metrics;

  public LocalAuthenticationProvider(
      UserStore users, AlertsConfig config, LoginThrottle throttle, AlertMetrics metrics) {
    this.users = users;
    this.teamsClaim = config.security().teamsClaim();
    this.tenantClaim = config.security().tenantClaim();
    this.throttle = throttle;
    this.metrics = metrics;
  }

  @Override
  public AuthenticationResponse authenticate(
      HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
    String name = auth.getIdentity();
    String password = auth.getSecret();
    if (name == null || password == null) {
      return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
    String address = request.getRemoteAddress().getAddress().getHostAddress();
    Duration wait = throttle.acquire(name, address);
    if (!wait.isZero()) {
      request.setAttribute(THROTTLED, wait);
      metrics.signIn("throttled");
      return AuthenticationResponse.failure(AuthenticationFailureReason.ACCOUNT_LOCKED);
    }
    Optional<UserStore.User> user = users.find(name);
    boolean matches =
        PasswordHasher.verify(password, user.map(UserStore.User::hash).orElse(UNKNOWN_USER_HASH));
    if (user.isEmpty() || !matches) {
      metrics.signIn("wrong_credentials");
      return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
    throttle.succeeded(name, address);
    metrics.signIn("success");
    UserStore.User u = user.get();
    Map<String, Object> claims = new HashMap<>();
    claims.put(teamsClaim, u.teams());
    if (!u.operator() && u.tenants().size() == 1) {
      claims.put(tenantClaim, u.tenants().iterator().next());
    }
    return AuthenticationResponse.success(
        u.name(), List.of(u.operator() ? CareTeams.OPERATOR_ROLE : CareTeams.NURSE_ROLE), claims);
  }
}
