package io.vigil.kit.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Team keys as the three services write and read them: one team is only ever one key. */
class TeamKeysTest {

  @Test
  void aTeamKeyIsTheTenantAndTheTrimmedTeamName() {
    assertEquals("acme/ward-1", TeamKeys.of("acme", " ward-1 "));
    assertThrows(IllegalArgumentException.class, () -> TeamKeys.of("", "ward-1"));
    assertThrows(IllegalArgumentException.class, () -> TeamKeys.of("ac/me", "ward-1"));
    assertThrows(IllegalArgumentException.class, () -> TeamKeys.of(null, "ward-1"));
    assertThrows(IllegalArgumentException.class, () -> TeamKeys.of("acme", " "));
    assertThrows(IllegalArgumentException.class, () -> TeamKeys.of("acme", null));
  }

  @Test
  void aWrittenTeamKeepsItsTenantOrTakesTheDefault() {
    assertEquals("other/ward-2", TeamKeys.qualify(" other/ward-2 ", "acme"));
    assertEquals("acme/ward-2", TeamKeys.qualify("ward-2", "acme"));
  }

  @Test
  void keysAreGroupedByTenantAndKeysWithoutOneAreLeftOut() {
    List<String> keys = List.of("b/ward-2", "a/ward-9", "b/ward-1", "no-tenant", "/x", "y/");
    assertEquals(
        Map.of(
            "a", new TreeSet<>(Set.of("ward-9")), "b", new TreeSet<>(Set.of("ward-1", "ward-2"))),
        TeamKeys.byTenant(keys));
    assertEquals(List.of("a", "b"), List.copyOf(TeamKeys.tenantsOf(keys)));
    assertEquals(Optional.of("b"), TeamKeys.tenantOf("b/ward-2"));
    assertEquals(Optional.empty(), TeamKeys.tenantOf("ward-2"));
    assertEquals(Optional.empty(), TeamKeys.tenantOf(null));
  }
}
