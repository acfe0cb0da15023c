package io.vigil.alerts.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import io.vigil.alerts.budget.TeamThresholds;
import io.vigil.alerts.security.CareTeams;
import java.util.List;

/**
 * The LSTM threshold each of the nurse's care teams uses and how it was chosen (the model's, a
 * fixed one, or derived from the team's alert budget), for the ward overview's header. Holds no
 * patient data, so reads are not audited.
 */
@Controller("/api")
@Secured(SecurityRule.IS_AUTHENTICATED)
public final class TeamThresholdsController {
  private final TeamThresholds thresholds;
  private final CareTeams careTeams;

  public TeamThresholdsController(TeamThresholds thresholds, CareTeams careTeams) {
    this.thresholds = thresholds;
    this.careTeams = careTeams;
  }

  /** The nurse's teams' thresholds, teams in name order. */
  @Serdeable
  public record Thresholds(List<TeamThresholds.Team> teams) {}

  @Get("/teams/thresholds")
  public Thresholds thresholds(Authentication auth) {
    return new Thresholds(thresholds.of(careTeams.of(auth).stream().sorted().toList()));
  }
}
