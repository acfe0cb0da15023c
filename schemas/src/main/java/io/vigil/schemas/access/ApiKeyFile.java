package io.vigil.schemas.access;

import io.vigil.schemas.Identifiers;
import io.vigil.schemas.VigilHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The API key file shared by every service: one tab-separated line per key, {@code keyId sourceId
 * tenant salt hash createdAt revokedAt scopes}; blank lines and lines starting with {@code #} are
 * ignored.
 *
 * <ul>
 *   <li>{@code salt} and {@code hash} are Base64; {@code hash} is SHA-256(salt || secret). The
 *       secret itself is never stored. Keys are 256-bit random values, so a salted fast hash
 *       resists offline guessing as well as a slow password hash would, and verification costs
 *       microseconds.
 *   <li>{@code createdAt}, {@code revokedAt} are ISO-8601 instants; {@code revokedAt} is empty
 *       while the key is active.
 *   <li>{@code scopes} is a comma-separated list of {@link Scope} codes ({@code write}, {@code
 *       read}). A line of seven fields, written before keys had scopes, is a {@code write} key: it
 *       keeps doing what it did (posting readings and patient context) and reads nothing. Scope
 *       names this version does not know are ignored (the key gets none of their rights).
 * </ul>
 *
 * <p>A key as handed to a source reads {@code vk_<keyId>_<secret>}: the key id finds the line, the
 * secret is compared in constant time ({@link ApiKeyStore}).
 */
public final class ApiKeyFile {
  /**
   * The file's name under {@code VIGIL_HOME} unless {@code VIGIL_INGEST_API_KEYS} names another.
   */
  public static final String DEFAULT_NAME = "ingest-api-keys.tsv";

  /** Scopes of a line written before keys had scopes. */
  public static final Set<Scope> LEGACY_SCOPES = Set.of(Scope.WRITE);

  private static final String HEADER =
      "# Vigil API keys: keyId, sourceId, tenant, salt, SHA-256(salt||secret), created, revoked,"
          + " scopes (write,read). Manage with io.vigil.ingest.auth.ApiKeys.";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFile() {}

  /**
   * Where the services find the key file: {@code $VIGIL_INGEST_API_KEYS} (default {@value
   * #DEFAULT_NAME}) resolved against the state folder {@code env} names ({@link VigilHome}).
   */
  public static Path defaultLocation(Map<String, String> env) {
    return VigilHome.fromEnvironment(env)
        .resolve(env.getOrDefault("VIGIL_INGEST_API_KEYS", DEFAULT_NAME));
  }

  /**
   * Every key of {@code file}, active and revoked.
   *
   * @throws IOException when the file cannot be read or a line is malformed (the message names the
   *     line)
   */
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
      if (f.length != 7 && f.length != 8) {
        throw new IOException(
            file + ":" + lineNo + ": expected 8 tab-separated fields (7 without scopes)");
      }
      try {
        entries.add(
            new ApiKeyEntry(
                f[0],
                f[1],
                f[2],
                f.length == 7 ? LEGACY_SCOPES : knownScopes(f[7]),
                b64.decode(f[3]),
                b64.decode(f[4]),
                Instant.parse(f[5]),
                f[6].isEmpty() ? null : Instant.parse(f[6])));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new IOException(file + ":" + lineNo + ": " + e.getMessage(), e);
      }
    }
    return entries;
  }

  private static Set<Scope> knownScopes(String list) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String code : list.split(",", -1)) {
      Scope.byCode(code).ifPresent(scopes::add);
    }
    return scopes;
  }

  /** Replaces the file atomically; it is readable by its owner only from its first byte. */
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
                  e.revokedAt() == null ? "" : e.revokedAt().toString(),
                  Scope.format(e.scopes())))
          .append('\n');
    }
    SecretFiles.write(file, out.toString());
  }

  /**
   * A new key for a source of a tenant: the entry to store and the token to hand out once.
   *
   * @throws IllegalArgumentException when the source or tenant breaks {@link Identifiers}' rules or
   *     no scope is given
   */
  public static NewKey create(String sourceId, String tenant, Set<Scope> scopes, Instant now) {
    String problem = Identifiers.sourceIdProblem(sourceId);
    if (problem == null) {
      problem = Identifiers.tenantProblem(tenant);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("a key needs at least one scope (write, read)");
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
        new ApiKeyEntry(keyId, sourceId, tenant, scopes, salt, hash(salt, secretText), now, null);
    return new NewKey(entry, "vk_" + keyId + "_" + secretText);
  }

  /** SHA-256(salt || UTF-8 secret). */
  static byte[] hash(byte[] salt, String secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** A freshly created key: {@code token} is shown once and stored nowhere. */
  public record NewKey(ApiKeyEntry entry, String token) {}
}
