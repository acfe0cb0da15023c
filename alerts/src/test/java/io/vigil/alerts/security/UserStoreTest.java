package io.vigil.alerts.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserStoreTest {
  private static final String HASH = PasswordHasher.hash("x");

  private static Path file(String... lines) throws Exception {
    Path f = Files.createTempDirectory("users").resolve("users.properties");
    Files.write(f, List.of(lines), StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void shouldReadTeamsWithoutATenantAsTeamsOfTheDefaultTenant() throws Exception {
    // A users file written before tenants were part of team names.
    UserStore.User nurse =
        UserStore.load(file("nurse=" + HASH.replace("$", "\\$") + ";ward-1,unassigned"), "demo")
            .get(0);
    assertEquals(List.of("demo/ward-1", "demo/unassigned"), nurse.teams());
    assertEquals(Set.of("demo"), nurse.tenants());
    assertFalse(nurse.operator());
  }

  @Test
  void shouldRefuseANurseAccountWithTeamsOfTwoTenants() throws Exception {
    Path f = Files.createTempDirectory("users").resolve("users.properties");
    UserStore.addUser(f, "eve", "pw", List.of("clinic-a/ward-1", "clinic-b/ward-1"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> UserStore.load(f, "demo"));
    assertTrue(e.getMessage().contains("eve"), e.getMessage());
    assertTrue(e.getMessage().contains("one tenant"), e.getMessage());
  }

  @Test
  void shouldLetAnExplicitOperatorSpanTenants() throws Exception {
    Path f = Files.createTempDirectory("users").resolve("users.properties");
    UserStore.addUser(f, "olga", "pw", List.of("clinic-a/ward-1", "clinic-b/ward-1"), true);
    UserStore.User olga = UserStore.load(f, "demo").get(0);
    assertTrue(olga.operator());
    assertEquals(Set.of("clinic-a", "clinic-b"), olga.tenants());
  }
}
