package io.vigil.schemas.access;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * One stored API key: never the key itself, only a random salt and SHA-256(salt || secret).
 *
 * @param keyId the public part of the key, {@code vk_<keyId>_<secret>}
 * @param sourceId the platform integration the key belongs to
 * @param tenant the one tenant the key acts for
 * @param scopes what the key may do; never empty for a key created by {@link ApiKeyFile#create}
 * @param revokedAt null while the key is active
 */
public record ApiKeyEntry(
    String keyId,
    String sourceId,
    String tenant,
    Set<Scope> scopes,
    byte[] salt,
    byte[] hash,
    Instant createdAt,
    Instant revokedAt) {

  public ApiKeyEntry {
    scopes = scopes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(scopes));
  }

  public boolean active() {
    return revokedAt == null;
  }

  public ApiKeyEntry revoked(Instant at) {
    return new ApiKeyEntry(keyId, sourceId, tenant, scopes, salt, hash, createdAt, at);
  }
}
