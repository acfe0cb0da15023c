package io.vigil.schemas.access;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The key file's management commands, behind ingest's {@code ApiKeys} command line:
 *
 * <ul>
 *   <li>{@link #create}: a new key, printed once;
 *   <li>{@link #list}: every key with its source, tenant, scopes, creation and revocation time
 *       (never a secret or hash);
 *   <li>{@link #revoke}: the key stops working within a second in every running service.
 * </ul>
 *
 * <p>Rotation: create a second key for the source, switch the platform to it, revoke the old one;
 * both work in between.
 */
public final class ApiKeyAdmin {
  /** Scopes of a key created without {@code --scopes}. */
  public static final Set<Scope> DEFAULT_SCOPES = Set.of(Scope.WRITE);

  private ApiKeyAdmin() {}

  /**
   * Adds a new key for {@code sourceId} of {@code tenant} to {@code file} (created if missing) and
   * prints its id, then the key itself: the only time it is shown.
   *
   * @throws IllegalArgumentException when the source or tenant breaks the identifier rules or
   *     {@code scopes} is empty
   */
  public static void create(
      Path file, String sourceId, String tenant, Set<Scope> scopes, PrintWriter out)
      throws IOException {
    List<ApiKeyEntry> entries = read(file);
    ApiKeyFile.NewKey key = ApiKeyFile.create(sourceId, tenant, scopes, Instant.now());
    entries.add(key.entry());
    ApiKeyFile.write(file, entries);
    out.println(
        "key id "
            + key.entry().keyId()
            + " for source "
            + sourceId
            + " (tenant "
            + tenant
            + ", scopes "
            + Scope.format(key.entry().scopes())
            + "); the key is shown only now:");
    out.println(key.token());
  }

  /**
   * Revokes the active key {@code keyId} of {@code file}.
   *
   * @throws IllegalArgumentException when the file holds no active key with that id
   */
  public static void revoke(Path file, String keyId, PrintWriter out) throws IOException {
    List<ApiKeyEntry> updated = new ArrayList<>();
    boolean found = false;
    for (ApiKeyEntry e : read(file)) {
      if (e.keyId().equals(keyId) && e.active()) {
        updated.add(e.revoked(Instant.now()));
        found = true;
      } else {
        updated.add(e);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no active key " + keyId + " in " + file);
    }
    ApiKeyFile.write(file, updated);
    out.println("revoked " + keyId);
  }

  /** Prints every key of {@code file}, one tab-separated line each, under a header line. */
  public static void list(Path file, PrintWriter out) throws IOException {
    out.println("keyId\tsource\ttenant\tscopes\tcreated\trevoked");
    for (ApiKeyEntry e : read(file)) {
      out.println(
          String.join(
              "\t",
              e.keyId(),
              e.sourceId(),
              e.tenant(),
              e.scopes().isEmpty() ? "-" : Scope.format(e.scopes()),
              e.createdAt().toString(),
              e.revokedAt() == null ? "-" : e.revokedAt().toString()));
    }
  }

  private static List<ApiKeyEntry> read(Path file) throws IOException {
    return Files.exists(file) ? new ArrayList<>(ApiKeyFile.read(file)) : new ArrayList<>();
  }
}
