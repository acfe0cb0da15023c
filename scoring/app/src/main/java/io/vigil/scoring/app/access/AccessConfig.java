package io.vigil.scoring.app.access;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.vigil.schemas.VigilHome;
import java.nio.file.Path;

/**
 * Who may read the risk API, bound from {@code vigil.scoring.access.*} (application.yml maps each
 * environment variable below onto it).
 *
 * @param apiKeysFile the platforms' API key file shared with ingest: {@code VIGIL_INGEST_API_KEYS}
 *     (default {@code ingest-api-keys.tsv}), relative to the state folder ({@code VIGIL_HOME}); a
 *     key needs the {@code read} scope
 * @param sessionSecret {@code VIGIL_JWT_SECRET}: the HS256 secret alerts signs nurse sessions with;
 *     blank to read it from the session secret file
 * @param sessionSecretFile {@code VIGIL_JWT_SECRET_FILE}; blank for {@code
 *     $VIGIL_HOME/alerts/jwt-secret} (where alerts keeps the secret it generated); read when a
 *     session token first arrives, so it may appear after this service started
 * @param defaultTenant {@code VIGIL_DEFAULT_TENANT}, default {@code demo}: the tenant of bare team
 *     names in a session without a tenant claim, as alerts' {@code vigil.alerts.default-tenant}
 * @param teamsClaim {@code VIGIL_TEAMS_CLAIM}, default {@code teams}: the session claim listing the
 *     user's care teams
 * @param tenantClaim {@code VIGIL_TENANT_CLAIM}, default {@code tenant}: the session claim naming
 *     the user's tenant
 * @param fallbackTeam {@code VIGIL_FALLBACK_TEAM}, default {@code unassigned}: the team (of the
 *     patient's tenant) a patient without a care team belongs to, as alerts routes them
 */
@ConfigurationProperties("vigil.scoring.access")
public record AccessConfig(
    String apiKeysFile,
    @Nullable String sessionSecret,
    @Nullable String sessionSecretFile,
    String defaultTenant,
    String teamsClaim,
    String tenantClaim,
    String fallbackTeam) {

  public Path apiKeysPath(VigilHome home) {
    return home.resolve(apiKeysFile);
  }

  /** The configured session secret, or null when it is to be read from the file. */
  public String configuredSessionSecret() {
    return sessionSecret == null || sessionSecret.isBlank() ? null : sessionSecret;
  }

  public Path sessionSecretPath(VigilHome home) {
    return sessionSecretFile == null || sessionSecretFile.isBlank()
        ? home.resolve("alerts").resolve("jwt-secret")
        : Path.of(sessionSecretFile);
  }

  @Override
  public String toString() {
    return "AccessConfig[apiKeysFile="
        + apiKeysFile
        + ", sessionSecret="
        + (configuredSessionSecret() == null ? "from file" : "set")
        + ", defaultTenant="
        + defaultTenant
        + "]";
  }
}
