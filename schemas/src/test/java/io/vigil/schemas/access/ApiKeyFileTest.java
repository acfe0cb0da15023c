package io.vigil.schemas.access;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyFileTest {
  @TempDir Path dir;

  /** One of {@link ApiKeyAdmin}'s commands, printing to {@code out}. */
  private interface AdminCommand {
    void run(PrintWriter out) throws IOException;
  }

  private static String printed(AdminCommand command) throws IOException {
    StringWriter out = new StringWriter();
    command.run(new PrintWriter(out, true));
    return out.toString();
  }

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void shouldKeepEveryFieldAcrossWriteAndRead() throws Exception {
    Path file = dir.resolve("keys.tsv");
    ApiKeyFile.NewKey a = ApiKeyFile.create("s-1", "t-1", Set.of(Scope.READ), Instant.now());
    ApiKeyFile.NewKey b =
        ApiKeyFile.create("s-2", "t-2", Set.of(Scope.WRITE, Scope.READ), Instant.now());
    ApiKeyEntry revoked = b.entry().revoked(Instant.parse("2026-02-03T04:05:06Z"));
    ApiKeyFile.write(file, List.of(a.entry(), revoked));

    List<ApiKeyEntry> read = ApiKeyFile.read(file);

    assertEquals(2, read.size());
    assertEquals(Set.of(Scope.READ), read.get(0).scopes());
    assertEquals(Set.of(Scope.WRITE, Scope.READ), read.get(1).scopes());
    assertEquals(revoked.revokedAt(), read.get(1).revokedAt());
    assertArrayEquals(a.entry().hash(), read.get(0).hash());
    assertArrayEquals(a.entry().salt(), read.get(0).salt());
    assertEquals("t-1", read.get(0).tenant());
    assertTrue(Files.readString(file).contains("\twrite,read\n"), "scopes are the last field");
  }

  @Test
  void shouldCreateTheFileOwnerOnlyAndNeverStoreTheSecret() throws Exception {
    Path file = dir.resolve("new").resolve("keys.tsv");
    ApiKeyFile.NewKey key = ApiKeyFile.create("s", "t", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.write(file, List.of(key.entry()));

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    String secret = key.token().substring(key.token().indexOf('_', 3) + 1);
    assertFalse(Files.readString(file).contains(secret));
    assertEquals(List.of(file), Files.list(file.getParent()).toList(), "no temporary file left");
  }

  @Test
  void shouldRefuseKeysForInvalidSourcesTenantsOrWithoutScopes() {
    Instant now = Instant.now();
    Set<Scope> write = Set.of(Scope.WRITE);
    assertThrows(IllegalArgumentException.class, () -> ApiKeyFile.create("a b", "t", write, now));
    assertThrows(IllegalArgumentException.class, () -> ApiKeyFile.create("s", "t/x", write, now));
    assertThrows(
        IllegalArgumentException.class, () -> ApiKeyFile.create("s", "t".repeat(65), write, now));
    assertThrows(IllegalArgumentException.class, () -> ApiKeyFile.create("s", "..", write, now));
    assertThrows(IllegalArgumentException.class, () -> ApiKeyFile.create("s", "t", Set.of(), now));
  }

  @Test
  void shouldNameTheLineOfAMalformedFile() throws Exception {
    Path file = dir.resolve("keys.tsv");
    Files.writeString(file, "# header\n\nonly\tthree\tfields\n");
    IOException e = assertThrows(IOException.class, () -> ApiKeyFile.read(file));
    assertTrue(e.getMessage().contains("keys.tsv:3"), e.getMessage());
    Files.writeString(file, "a\tb\tc\t!!\tAAAA\t2026-01-01T00:00:00Z\t\twrite\n");
    e = assertThrows(IOException.class, () -> ApiKeyFile.read(file));
    assertTrue(e.getMessage().contains("keys.tsv:1"), e.getMessage());
  }

  @Test
  void shouldCreateListAndRevokeKeysWithScopes() throws Exception {
    Path file = dir.resolve("keys.tsv");
    Set<Scope> both = Set.of(Scope.WRITE, Scope.READ);
    String readWrite =
        lastLine(printed(out -> ApiKeyAdmin.create(file, "portal", "clinic", both, out)));
    String defaulted =
        lastLine(
            printed(
                out ->
                    ApiKeyAdmin.create(file, "watch", "clinic", ApiKeyAdmin.DEFAULT_SCOPES, out)));
    ApiKeyStore store = new ApiKeyStore(file);
    assertEquals(Set.of(Scope.WRITE, Scope.READ), store.verify(readWrite).orElseThrow().scopes());
    assertEquals(Set.of(Scope.WRITE), store.verify(defaulted).orElseThrow().scopes());

    String keyId = readWrite.substring(3, readWrite.indexOf('_', 3));
    String listing = printed(out -> ApiKeyAdmin.list(file, out));
    assertTrue(listing.contains(keyId + "\tportal\tclinic\twrite,read\t"), listing);
    assertFalse(listing.contains(readWrite.substring(readWrite.indexOf('_', 3) + 1)));

    assertTrue(printed(out -> ApiKeyAdmin.revoke(file, keyId, out)).contains("revoked " + keyId));
    assertNotEquals(
        "-",
        lastField(printed(out -> ApiKeyAdmin.list(file, out)), keyId),
        "revocation time listed");
    assertThrows(
        IllegalArgumentException.class, () -> printed(out -> ApiKeyAdmin.revoke(file, keyId, out)));
  }

  private static String lastField(String listing, String keyId) {
    for (String line : listing.split("\n")) {
      if (line.startsWith(keyId + "\t")) {
        String[] f = line.split("\t");
        return f[f.length - 1];
      }
    }
    throw new AssertionError(keyId + " not listed");
  }

  @Test
  void shouldFindTheFileWhereTheServicesLook() {
    assertEquals(Path.of(".vigil", "ingest-api-keys.tsv"), ApiKeyFile.defaultLocation(Map.of()));
    assertEquals(
        Path.of("/srv/vigil", "keys.tsv"),
        ApiKeyFile.defaultLocation(
            Map.of("VIGIL_HOME", "/srv/vigil", "VIGIL_INGEST_API_KEYS", "keys.tsv")));
  }

  @Test
  void shouldParseScopeLists() {
    assertEquals(Set.of(Scope.WRITE, Scope.READ), Scope.parseList(" Read , write "));
    assertEquals("write,read", Scope.format(Set.of(Scope.READ, Scope.WRITE)));
    assertThrows(IllegalArgumentException.class, () -> Scope.parseList(""));
    assertThrows(IllegalArgumentException.class, () -> Scope.parseList("write,delete"));
  }

  @Test
  void shouldReplaceAWorldReadableSecretFileWithAnOwnerOnlyOne() throws Exception {
    Path file = dir.resolve("demo.env");
    Files.writeString(file, "old");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    SecretFiles.write(file, "VIGIL_API_KEY=x\n");

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("VIGIL_API_KEY=x\n", Files.readString(file));
  }
}
