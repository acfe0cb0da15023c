package io.vigil.kit.access;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which patients a signed-in nurse or operator may see, in alerts and scoring alike. */
class TeamClaimsTest {
  private static final TeamClaims CLAIMS = new TeamClaims("teams", "tenant", "demo");
  private static final List<String> NURSE = List.of("NURSE");
  private static final List<String> OPERATOR = List.of(TeamClaims.OPERATOR_ROLE);

  @Test
  void shouldQualifyBareTeamsWithTheSessionsTenant() {
    assertEquals(
        Set.of("hospital-x/ward-1", "hospital-x/icu"),
        CLAIMS.teams(
            "ana", Map.of("teams", List.of("ward-1", " icu "), "tenant", "hospital-x"), NURSE));
    assertEquals(
        Set.of("hospital-x/ward-1", "hospital-x/icu"),
        CLAIMS.teams("ana", Map.of("teams", "ward-1 , icu,", "tenant", "hospital-x"), NURSE),
        "one comma-separated string, blank entries left out");
  }

  @Test
  void shouldUseTheDefaultTenantWhenTheSessionNamesNoUsableTenant() {
    assertEquals(Set.of("demo/ward-1"), CLAIMS.teams("ana", Map.of("teams", "ward-1"), NURSE));
    assertEquals(
        Set.of("demo/ward-1"),
        CLAIMS.teams("ana", Map.of("teams", "ward-1", "tenant", "a/b"), NURSE));
    assertEquals(
        Set.of("demo/ward-1"),
        CLAIMS.teams("ana", Map.of("teams", "ward-1", "tenant", " "), NURSE));
  }

  @Test
  void shouldKeepTeamsWrittenWithTheirTenant() {
    assertEquals(
        Set.of("hospital-x/ward-1"),
        CLAIMS.teams("ana", Map.of("teams", List.of("hospital-x/ward-1")), NURSE));
  }

  @Test
  void shouldGrantNoTeamToANurseWhoseTeamsSpanTenants() {
    Map<String, Object> spanning = Map.of("teams", List.of("hospital-x/ward-1", "hospital-y/icu"));
    assertEquals(Set.of(), CLAIMS.teams("ana", spanning, NURSE));
    assertEquals(
        Set.of("hospital-x/ward-1", "hospital-y/icu"), CLAIMS.teams("olu", spanning, OPERATOR));
  }

  @Test
  void shouldGrantNothingWithoutATeamsClaim() {
    assertEquals(Set.of(), CLAIMS.teams("ana", Map.of("tenant", "hospital-x"), NURSE));
    assertEquals(Set.of(), CLAIMS.teams("ana", Map.of("teams", " "), NURSE));
  }

  @Test
  void shouldListTheTenantsOfTeamKeys() {
    assertEquals(
        Set.of("hospital-x", "hospital-y"),
        TeamKeys.tenantsOf(Set.of("hospital-x/ward-1", "hospital-y/icu", "hospital-x/icu")));
    assertEquals("hospital-x/ward-1", TeamKeys.of("hospital-x", " ward-1 "));
  }
}
