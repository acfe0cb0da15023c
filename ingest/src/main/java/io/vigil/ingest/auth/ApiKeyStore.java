package io.vigil.ingest.auth;

import io.vigil.ingest.IngestConfig;
import io.vigil.schemas.access.ApiKeyPrincipal;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The service's view of the shared key file ({@link io.vigil.schemas.access.ApiKeyStore}): every
 * Vigil service verifies keys with the same code, so a key created or revoked once works or stops
 * working everywhere within a second.
 */
@Singleton
public final class ApiKeyStore {
  private final io.vigil.schemas.access.ApiKeyStore store;

  public ApiKeyStore(IngestConfig config) {
    this.store = new io.vigil.schemas.access.ApiKeyStore(config.apiKeysPath());
  }

  public Path file() {
    return store.file();
  }

  /** The holder of a token when it is a well-formed, known, active key. */
  public Optional<ApiKeyPrincipal> authenticate(String token) {
    return store.verify(token);
  }
}
