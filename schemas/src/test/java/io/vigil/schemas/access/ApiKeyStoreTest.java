package io.vigil.schemas.access;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyStoreTest {
  @TempDir Path dir;

  private Path file() {
    return dir.resolve("keys.tsv");
  }

  @Test
  void shouldAnswerSourceTenantAndScopesForAValidKey() throws Exception {
    ApiKeyFile.NewKey reader =
        ApiKeyFile.create("portal", "clinic-a", Set.of(Scope.READ, Scope.WRITE), Instant.now());
    ApiKeyFile.NewKey writer =
        ApiKeyFile.create("watch-app", "clinic-b", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.write(file(), List.of(reader.entry(), writer.entry()));
    ApiKeyStore store = new ApiKeyStore(file());

    ApiKeyPrincipal both = store.verify(reader.token()).orElseThrow();
    assertEquals("portal", both.sourceId());
    assertEquals("clinic-a", both.tenant());
    assertEquals(reader.entry().keyId(), both.keyId());
    assertTrue(both.has(Scope.READ) && both.has(Scope.WRITE));
    ApiKeyPrincipal writeOnly = store.verify(writer.token()).orElseThrow();
    assertEquals("clinic-b", writeOnly.tenant());
    assertFalse(writeOnly.has(Scope.READ), "a write key reads nothing");
  }

  @Test
  void shouldRefuseWrongSecretsUnknownIdsAndMalformedKeys() throws Exception {
    ApiKeyFile.NewKey key = ApiKeyFile.create("s", "t", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.write(file(), List.of(key.entry()));
    ApiKeyStore store = new ApiKeyStore(file());
    String token = key.token();
    char last = token.charAt(token.length() - 1);
    String wrongSecret = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
    String unknownId = "vk_000000000000" + token.substring(token.indexOf('_', 3));
    for (String bad :
        new String[] {
          wrongSecret,
          unknownId,
          token.substring(0, token.length() - 1),
          token + "x",
          "vk_",
          "vk_" + key.entry().keyId(),
          "vk_" + key.entry().keyId() + "_",
          token.substring(3),
          "Bearer " + token,
          "",
          "vk_" + "a".repeat(10_000),
          null
        }) {
      assertEquals(Optional.empty(), store.verify(bad), String.valueOf(bad));
    }
    assertTrue(store.verify(token).isPresent());
  }

  @Test
  void shouldTreatLinesWithoutScopesAsWriteKeys() throws Exception {
    // A line as written before keys had scopes: seven fields.
    byte[] salt = new byte[16];
    String secret = "legacy-secret-of-an-old-key";
    String line =
        String.join(
            "\t",
            "0123456789ab",
            "old-platform",
            "old-tenant",
            Base64.getEncoder().encodeToString(salt),
            Base64.getEncoder().encodeToString(ApiKeyFile.hash(salt, secret)),
            "2026-01-01T00:00:00Z",
            "");
    Files.writeString(file(), "# old header\n" + line + "\n");

    ApiKeyPrincipal old = new ApiKeyStore(file()).verify("vk_0123456789ab_" + secret).orElseThrow();

    assertEquals(Set.of(Scope.WRITE), old.scopes());
    assertEquals("old-tenant", old.tenant());
    List<ApiKeyEntry> read = ApiKeyFile.read(file());
    ApiKeyFile.write(file(), read);
    assertEquals(
        Set.of(Scope.WRITE),
        ApiKeyFile.read(file()).get(0).scopes(),
        "rewriting an old file keeps the key's rights");
  }

  @Test
  void shouldIgnoreScopeNamesItDoesNotKnow() throws Exception {
    ApiKeyFile.NewKey key = ApiKeyFile.create("s", "t", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.write(file(), List.of(key.entry()));
    Files.writeString(file(), Files.readString(file()).replace("\twrite\n", "\tadmin,read\n"));

    ApiKeyPrincipal p = new ApiKeyStore(file()).verify(key.token()).orElseThrow();

    assertEquals(Set.of(Scope.READ), p.scopes());
  }

  @Test
  void shouldNotAcceptAKeyWhoseTenantWasEditedToBreakTheIdentifierRules() throws Exception {
    ApiKeyFile.NewKey key = ApiKeyFile.create("s", "clinic", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.NewKey other = ApiKeyFile.create("s", "other", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.write(file(), List.of(key.entry(), other.entry()));
    Files.writeString(
        file(), Files.readString(file()).replace("\tclinic\t", "\t" + "c".repeat(5000) + "\t"));

    ApiKeyStore store = new ApiKeyStore(file());

    assertEquals(Optional.empty(), store.verify(key.token()));
    assertTrue(store.verify(other.token()).isPresent(), "the other keys still work");
  }

  @Test
  void shouldPickUpNewAndRevokedKeysWithoutRestart() throws Exception {
    ApiKeyFile.NewKey first = ApiKeyFile.create("s", "t", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.write(file(), List.of(first.entry()));
    ApiKeyStore store = new ApiKeyStore(file());
    assertTrue(store.verify(first.token()).isPresent());

    ApiKeyFile.NewKey second = ApiKeyFile.create("s", "t", Set.of(Scope.READ), Instant.now());
    ApiKeyFile.write(file(), List.of(first.entry().revoked(Instant.now()), second.entry()));

    await().atMost(Duration.ofSeconds(5)).until(() -> store.verify(second.token()).isPresent());
    assertEquals(Optional.empty(), store.verify(first.token()), "revoked");
  }

  @Test
  void shouldKeepTheLastGoodKeysWhenTheFileBreaks() throws Exception {
    ApiKeyFile.NewKey key = ApiKeyFile.create("s", "t", Set.of(Scope.WRITE), Instant.now());
    ApiKeyFile.write(file(), List.of(key.entry()));
    ApiKeyStore store = new ApiKeyStore(file());
    assertTrue(store.verify(key.token()).isPresent());

    List<String> lines = new ArrayList<>(Files.readAllLines(file()));
    lines.add("half\tedited");
    Files.write(file(), lines);
    Thread.sleep(1_100);

    assertTrue(store.verify(key.token()).isPresent(), "last good keys stay in force");
  }

  @Test
  void shouldKnowNoKeysWithoutAFile() {
    assertEquals(Optional.empty(), new ApiKeyStore(file()).verify("vk_0123456789ab_secret"));
  }
}
