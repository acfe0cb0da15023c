package io.vigil.ingest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.access.ApiKeyStore;
import io.vigil.schemas.access.Scope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file's command line, run as an operator runs it, on a real key file. */
class ApiKeysTest {
  @TempDir Path dir;

  private static String lastLine(String text) {
    String[] lines = text.strip().split("\n");
    return lines[lines.length - 1];
  }

  @Test
  void shouldListItsCommandsOptionsAndExitStatusesUnderHelp() {
    ApiKeysRun top = ApiKeysRun.of("--help");
    assertEquals(0, top.status(), top.err());
    for (String text : new String[] {"--file", "create", "list", "revoke", "Exit status:"}) {
      assertTrue(top.out().contains(text), text + " in\n" + top.out());
    }
    ApiKeysRun create = ApiKeysRun.of("create", "--help");
    assertEquals(0, create.status(), create.err());
    for (String text : new String[] {"SOURCE_ID", "TENANT", "--scopes", "Default: write"}) {
      assertTrue(create.out().contains(text), text + " in\n" + create.out());
    }
  }

  @Test
  void shouldRefuseAnUnknownOptionOrCommandWithExitStatus2NamingIt() {
    ApiKeysRun option = ApiKeysRun.of("list", "--no-such-option");
    assertEquals(2, option.status());
    assertTrue(option.err().contains("Unknown option: '--no-such-option'"), option.err());

    ApiKeysRun command = ApiKeysRun.of("delete", "k1");
    assertEquals(2, command.status());
    assertTrue(command.err().contains("'delete'"), command.err());
    assertEquals(2, ApiKeysRun.of().status(), "a command is required");
  }

  @Test
  void shouldCreateListAndRevokeKeysWithScopesInTheFileGivenBeforeOrAfterTheCommand()
      throws Exception {
    Path file = dir.resolve("keys.tsv");
    String f = file.toString();
    ApiKeysRun created =
        ApiKeysRun.of("--file", f, "create", "portal", "clinic", "--scopes", "write,read");
    assertEquals(0, created.status(), created.err());
    String readWrite = lastLine(created.out());
    String defaulted = lastLine(ApiKeysRun.of("add", "watch", "clinic", "--file", f).out());
    ApiKeyStore store = new ApiKeyStore(file);
    assertEquals(Set.of(Scope.WRITE, Scope.READ), store.verify(readWrite).orElseThrow().scopes());
    assertEquals(Set.of(Scope.WRITE), store.verify(defaulted).orElseThrow().scopes());

    String keyId = readWrite.substring(3, readWrite.indexOf('_', 3));
    String listing = ApiKeysRun.of("list", "--file", f).out();
    assertTrue(listing.contains(keyId + "\tportal\tclinic\twrite,read\t"), listing);
    assertFalse(listing.contains(readWrite.substring(readWrite.indexOf('_', 3) + 1)));

    assertTrue(ApiKeysRun.of("--file", f, "revoke", keyId).out().contains("revoked " + keyId));
    String twice = ApiKeysRun.of("--file", f, "revoke", keyId).err();
    assertTrue(twice.contains("no active key " + keyId), twice);
  }

  @Test
  void shouldRefuseAWrongCommandLineWithExitStatus2AndLeaveTheFileAlone() throws Exception {
    Path file = dir.resolve("keys.tsv");
    String f = file.toString();
    assertEquals(0, ApiKeysRun.of("--file", f, "create", "s", "t").status());
    String before = Files.readString(file);

    ApiKeysRun admin = ApiKeysRun.of("--file", f, "create", "s", "t", "--scopes", "admin");
    assertEquals(2, admin.status());
    assertTrue(admin.err().contains("unknown scope 'admin'"), admin.err());
    ApiKeysRun noScopes = ApiKeysRun.of("--file", f, "create", "s", "t", "--scopes");
    assertEquals(2, noScopes.status());
    assertTrue(noScopes.err().contains("--scopes"), noScopes.err());
    ApiKeysRun listScopes = ApiKeysRun.of("--file", f, "list", "--scopes", "read");
    assertEquals(2, listScopes.status());
    assertTrue(listScopes.err().contains("--scopes"), listScopes.err());
    ApiKeysRun badSource = ApiKeysRun.of("--file", f, "create", "a b", "t");
    assertEquals(2, badSource.status());
    assertTrue(badSource.err().contains("sourceId contains white space"), badSource.err());
    assertEquals(2, ApiKeysRun.of("--file", f, "revoke", "nope").status());

    assertEquals(before, Files.readString(file), "nothing written");
  }
}
