package io.vigil.ingest.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The API key file: one tab-separated line per key ({@code keyId sourceId tenant salt hash
 * createdAt revokedAt}), comments start with {@code #}. Keys are high-entropy random secrets (256
 * bits), so a salted SHA-256 resists offline guessing as well as a slow password hash would, and
 * keeps per-request verification in microseconds.
 *
 * <p>A key as handed to a source reads {@code vk_<keyId>_<secret>}: the key id finds the line, the
 * secret is compared in constant time.
 */
public final class ApiKeyFile {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String HEADER =
      "# Vigil ingest API keys: keyId, sourceId, tenant, salt, SHA-256(salt||secret), created,"
          + " revoked. Manage with io.vigil.ingest.auth.ApiKeys.";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFile() {}

  public static List<ApiKeyEntry> read(Path file) throws IOException {
    List<ApiKeyEntry> entries = new ArrayList<>();
    Base64.Decoder b64 = Base64.getDecoder();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length != 7) {
        throw new IOException(file + ":" + lineNo + ": expected 7 tab-separated fields");
      }
      entries.add(
          new ApiKeyEntry(
              f[0],
              f[1],
              f[2],
              b64.decode(f[3]),
              b64.decode(f[4]),
              Instant.parse(f[5]),
              f[6].isEmpty() ? null : Instant.parse(f[6])));
    }
    return entries;
  }

  /** Replaces the file atomically, readable by its owner only. */
  public static void write(Path file, List<ApiKeyEntry> entries) throws IOException {
    Base64.Encoder b64 = Base64.getEncoder();
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    for (ApiKeyEntry e : entries) {
      out.append(
              String.join(
                  "\t",
                  e.keyId(),
                  e.sourceId(),
                  e.tenant(),
                  b64.encodeToString(e.salt()),
                  b64.encodeToString(e.hash()),
                  e.createdAt().toString(),
                  e.revokedAt() == null ? "" : e.revokedAt().toString()))
          .append('\n');
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".api-keys", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system; the folder's own permissions apply
    }
    Files.writeString(tmp, out, StandardCharsets.UTF_8);
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** A new key for a source: the entry to store and the token to hand out once. */
  public static NewKey create(String sourceId, String tenant, Instant now) {
    if (!NAME.matcher(sourceId).matches() || !NAME.matcher(tenant).matches()) {
      throw new IllegalArgumentException(
          "source and tenant must be 1-64 characters of letters, digits, '.', '_' or '-'");
    }
    byte[] id = new byte[6];
    byte[] secret = new byte[32];
    byte[] salt = new byte[16];
    RANDOM.nextBytes(id);
    RANDOM.nextBytes(secret);
    RANDOM.nextBytes(salt);
    String keyId = HexFormat.of().formatHex(id);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    ApiKeyEntry entry =
        new ApiKeyEntry(keyId, sourceId, tenant, salt, hash(salt, secretText), now, null);
    return new NewKey(entry, "vk_" + keyId + "_" + secretText);
  }

  static byte[] hash(byte[] salt, String secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** A freshly created key. */
  public record NewKey(ApiKeyEntry entry, String token) {}
}
