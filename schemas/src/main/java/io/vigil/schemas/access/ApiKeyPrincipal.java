package io.vigil.schemas.access;

import java.util.Set;

/**
 * Who presented a valid API key: the source (platform integration), the one tenant it acts for, the
 * key's id (safe to log; the secret never is) and its scopes.
 */
public record ApiKeyPrincipal(String keyId, String sourceId, String tenant, Set<Scope> scopes) {

  public ApiKeyPrincipal {
    scopes = Set.copyOf(scopes);
  }

  /** True when the key holds {@code scope}. */
  public boolean has(Scope scope) {
    return scopes.contains(scope);
  }
}
