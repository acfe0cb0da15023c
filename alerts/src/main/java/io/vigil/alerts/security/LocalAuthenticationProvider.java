package io.vigil.alerts.security;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.AuthenticationFailureReason;
import io.micronaut.security.authentication.AuthenticationRequest;
import io.micronaut.security.authentication.AuthenticationResponse;
import io.micronaut.security.authentication.provider.HttpRequestExecutorAuthenticationProvider;
import io.vigil.alerts.config.AlertsConfig;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;

/**
 * Checks a nurse's password against the local users file. Runs on the blocking executor: PBKDF2
 * takes a few hundred milliseconds by design.
 */
@Singleton
public final class LocalAuthenticationProvider<B>
    implements HttpRequestExecutorAuthenticationProvider<B> {
  private final UserStore users;
  private final String teamsClaim;

  public LocalAuthenticationProvider(UserStore users, AlertsConfig config) {
    this.users = users;
    this.teamsClaim = config.teamsClaim();
  }

  @Override
  public AuthenticationResponse authenticate(
      HttpRequest<B> request, AuthenticationRequest<String, String> auth) {
    String name = auth.getIdentity();
    String password = auth.getSecret();
    if (name == null || password == null) {
      return AuthenticationResponse.failure(AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH);
    }
    return users
        .find(name)
        .filter(u -> PasswordHasher.verify(password, u.hash()))
        .map(
            u ->
                AuthenticationResponse.success(
                    u.name(), List.of("NURSE"), Map.<String, Object>of(teamsClaim, u.teams())))
        .orElseGet(
            () ->
                AuthenticationResponse.failure(
                    AuthenticationFailureReason.CREDENTIALS_DO_NOT_MATCH));
  }
}
