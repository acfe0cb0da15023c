package io.vigil.ingest.auth;

import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.vigil.ingest.IngestConfig;
import io.vigil.schemas.VigilHome;
import io.vigil.schemas.access.ApiKeyPrincipal;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's view of the shared key file ({@link io.vigil.schemas.access.ApiKeyStore}): every
 * Vigil service verifies keys with the same code, so a key created or revoked once works or stops
 * working everywhere within a second. When the service starts without a key file it says so (every
 * request is refused until a key is created); it never creates a key itself outside the demo.
 */
@Singleton
public final class ApiKeyStore {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);

  private final io.vigil.schemas.access.ApiKeyStore store;

  public ApiKeyStore(IngestConfig config, VigilHome home) {
    this.store = new io.vigil.schemas.access.ApiKeyStore(config.apiKeysPath(home));
  }

  public Path file() {
    return store.file();
  }

  /** The holder of a token when it is a well-formed, known, active key. */
  public Optional<ApiKeyPrincipal> authenticate(String token) {
    return store.verify(token);
  }

  @EventListener
  void onStartup(ServerStartupEvent event) {
    if (!Files.exists(file())) {
      LOG.warn(
          "no API key file at {}: every request is refused (401) until a key is created with"
              + " io.vigil.ingest.auth.ApiKeys create <sourceId> <tenant> [--scopes write,read]",
          file());
    }
  }
}
