package io.vigil.scoring.app.access;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import io.vigil.schemas.VigilHome;
import io.vigil.schemas.access.ApiKeyPrincipal;
import io.vigil.schemas.access.ApiKeyStore;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * Accepts a platform's API key ({@code Authorization: Bearer vk_...}) from the key file ingest uses
 * ({@link ApiKeyStore}: created or revoked keys take effect within a second). The verified {@link
 * ApiKeyPrincipal} rides on the authentication as {@value #PRINCIPAL}, an object no token claim can
 * forge.
 */
@Singleton
public final class ApiKeyTokenValidator implements TokenValidator<HttpRequest<?>> {
  /** Authentication attribute holding the key's {@link ApiKeyPrincipal}. */
  public static final String PRINCIPAL = "vigil.apiKey";

  /** Role of every API key. */
  public static final String ROLE = "API_KEY";

  private final ApiKeyStore store;

  public ApiKeyTokenValidator(AccessConfig access, VigilHome home) {
    this.store = new ApiKeyStore(access.apiKeysPath(home));
  }

  @Override
  public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
    if (token == null || !token.startsWith("vk_")) {
      return Publishers.empty();
    }
    return store
        .verify(token)
        .map(
            p ->
                Publishers.just(
                    Authentication.build(p.keyId(), List.of(ROLE), Map.of(PRINCIPAL, p))))
        .orElseGet(Publishers::empty);
  }
}
