package io.vigil.schemas.access;

import io.vigil.schemas.Identifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies presented API keys against the key file ({@link ApiKeyFile}); one instance per service,
 * safe for concurrent use. The file is re-read when it changes (checked at most once a second), so
 * keys created or revoked with the command line take effect within a second, without a restart.
 *
 * <p>{@link #verify} answers for a well-formed, known, active key only; it compares SHA-256(salt ||
 * presented secret) with the stored hash in constant time, and spends the same hashing work on an
 * unknown key id, so response times do not tell which key ids exist. If the file becomes unreadable
 * or malformed after a good read, the last good keys stay in force (a half-edited file must not
 * lock every source out) and the error is logged; if it was never readable, {@link #verify} throws.
 * A missing file means no keys. A key whose source or tenant breaks {@link Identifiers}' rules (a
 * line edited by hand) is not accepted, and logged.
 */
public final class ApiKeyStore {
  private static final Logger LOG = LoggerFactory.getLogger(ApiKeyStore.class);
  private static final long RECHECK_NANOS = 1_000_000_000L;
  private static final int MAX_TOKEN_LENGTH = 512;
  private static final ApiKeyEntry NOBODY =
      ApiKeyFile.create("nobody", "nobody", Set.of(Scope.READ), Instant.EPOCH).entry();

  private final Path file;
  private volatile Map<String, ApiKeyEntry> byKeyId = Map.of();
  private volatile Object loadedVersion;
  private volatile long checkedAt;

  public ApiKeyStore(Path file) {
    this.file = Objects.requireNonNull(file);
  }

  /** The key file this store reads. */
  public Path file() {
    return file;
  }

  /**
   * The holder of {@code token} ({@code vk_<keyId>_<secret>}, without {@code Bearer}) when it is a
   * well-formed, known, active key; empty otherwise.
   *
   * @throws UncheckedIOException when the key file exists but has never been readable
   */
  public Optional<ApiKeyPrincipal> verify(String token) {
    if (token == null || token.length() > MAX_TOKEN_LENGTH || !token.startsWith("vk_")) {
      return Optional.empty();
    }
    int split = token.indexOf('_', 3);
    if (split < 0) {
      return Optional.empty();
    }
    String keyId = token.substring(3, split);
    String secret = token.substring(split + 1);
    ApiKeyEntry entry = entries().get(keyId);
    boolean usable = entry != null && entry.active();
    ApiKeyEntry compared = usable ? entry : NOBODY;
    byte[] presented = ApiKeyFile.hash(compared.salt(), secret);
    boolean equal = MessageDigest.isEqual(presented, compared.hash());
    if (!usable || !equal) {
      return Optional.empty();
    }
    return Optional.of(
        new ApiKeyPrincipal(entry.keyId(), entry.sourceId(), entry.tenant(), entry.scopes()));
  }

  private Map<String, ApiKeyEntry> entries() {
    long now = System.nanoTime();
    if (loadedVersion != null && now - checkedAt < RECHECK_NANOS) {
      return byKeyId;
    }
    synchronized (this) {
      if (loadedVersion != null && now - checkedAt < RECHECK_NANOS) {
        return byKeyId;
      }
      checkedAt = now;
      try {
        Object version = version();
        if (!version.equals(loadedVersion)) {
          List<ApiKeyEntry> read = version == Missing.FILE ? List.of() : ApiKeyFile.read(file);
          Map<String, ApiKeyEntry> map = new HashMap<>();
          for (ApiKeyEntry e : read) {
            String broken = Identifiers.sourceIdProblem(e.sourceId());
            broken = broken != null ? broken : Identifiers.tenantProblem(e.tenant());
            if (broken != null) {
              LOG.error("API key {} in {} is not accepted: {}", e.keyId(), file, broken);
            } else {
              map.put(e.keyId(), e);
            }
          }
          byKeyId = Map.copyOf(map);
          loadedVersion = version;
          LOG.info(
              "loaded {} active API keys from {}",
              map.values().stream().filter(ApiKeyEntry::active).count(),
              file);
        }
      } catch (IOException e) {
        LOG.error("cannot read API key file {}: {}", file, e.getMessage());
        if (loadedVersion == null) {
          throw new UncheckedIOException(e);
        }
      }
      return byKeyId;
    }
  }

  /** What identifies one state of the file: its identity, size and modification time. */
  private Object version() throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(
          String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis(), a.creationTime());
    } catch (NoSuchFileException e) {
      return Missing.FILE;
    }
  }

  private enum Missing {
    FILE
  }
}
