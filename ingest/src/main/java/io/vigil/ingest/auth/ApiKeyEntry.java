package io.vigil.ingest.auth;

import java.time.Instant;

/**
 * One stored API key: never the key itself, only a random salt and SHA-256(salt || secret).
 *
 * @param revokedAt null while the key is active
 */
public record ApiKeyEntry(
    String keyId,
    String sourceId,
    String tenant,
    byte[] salt,
    byte[] hash,
    Instant createdAt,
    Instant revokedAt) {

  public boolean active() {
    return revokedAt == null;
  }

  public ApiKeyEntry revoked(Instant at) {
    return new ApiKeyEntry(keyId, sourceId, tenant, salt, hash, createdAt, at);
  }
}
