package io.vigil.ingest.auth;

import io.vigil.ingest.IngestConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies bearer tokens against the key file. The file is re-read when it changes (checked at most
 * once a second), so keys added or revoked with {@link ApiKeys} take effect without a restart.
 */
@Singleton
public final class ApiKeyStore {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);
  private static final long RECHECK_NANOS = 1_000_000_000L;

  private final Path file;
  private volatile Map<String, ApiKeyEntry> byKeyId = Map.of();
  private volatile FileTime loadedVersion;
  private volatile long checkedAt;

  public ApiKeyStore(IngestConfig config) {
    this.file = config.apiKeysPath();
  }

  public Path file() {
    return file;
  }

  /** The source a token belongs to, when it is a well-formed, known, active key. */
  public Optional<Source> authenticate(String token) {
    if (token == null || !token.startsWith("vk_")) {
      return Optional.empty();
    }
    int split = token.indexOf('_', 3);
    if (split < 0) {
      return Optional.empty();
    }
    String keyId = token.substring(3, split);
    String secret = token.substring(split + 1);
    ApiKeyEntry entry = entries().get(keyId);
    if (entry == null || !entry.active()) {
      return Optional.empty();
    }
    byte[] presented = ApiKeyFile.hash(entry.salt(), secret);
    if (!MessageDigest.isEqual(presented, entry.hash())) {
      return Optional.empty();
    }
    return Optional.of(new Source(entry.sourceId(), entry.tenant(), keyId));
  }

  private Map<String, ApiKeyEntry> entries() {
    long now = System.nanoTime();
    if (loadedVersion != null && now - checkedAt < RECHECK_NANOS) {
      return byKeyId;
    }
    synchronized (this) {
      checkedAt = now;
      try {
        FileTime version = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        if (version == null) {
          byKeyId = Map.of();
          loadedVersion = FileTime.fromMillis(0);
        } else if (!version.equals(loadedVersion)) {
          List<ApiKeyEntry> read = ApiKeyFile.read(file);
          byKeyId =
              read.stream()
                  .collect(Collectors.toUnmodifiableMap(ApiKeyEntry::keyId, Function.identity()));
          loadedVersion = version;
          LOG.info(
              "loaded {} API keys from {}",
              read.stream().filter(ApiKeyEntry::active).count(),
              file);
        }
      } catch (IOException e) {
        // Keep the last good keys: a half-edited file must not lock every source out.
        LOG.error("cannot read API key file {}: {}", file, e.getMessage());
        if (loadedVersion == null) {
          throw new UncheckedIOException(e);
        }
      }
      return byKeyId;
    }
  }
}
