package io.vigil.scoring.app.access;

import io.vigil.schemas.access.ApiKeyFile;
import java.nio.file.Path;
import java.util.Map;

/**
 * Who may read the risk API, read from environment variables.
 *
 * @param apiKeysFile the platforms' API key file shared with ingest: {@code $VIGIL_INGEST_API_KEYS}
 *     (default {@code ingest-api-keys.tsv}) under {@code $VIGIL_HOME} (default {@code .vigil}); a
 *     key needs the {@code read} scope
 * @param sessionSecret {@code VIGIL_JWT_SECRET}: the HS256 secret alerts signs nurse sessions with;
 *     null to read it from {@code sessionSecretFile}
 * @param sessionSecretFile {@code VIGIL_JWT_SECRET_FILE}, default {@code
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
public record AccessSettings(
    Path apiKeysFile,
    String sessionSecret,
    Path sessionSecretFile,
    String defaultTenant,
    String teamsClaim,
    String tenantClaim,
    String fallbackTeam) {

  public static AccessSettings fromEnvironment(Map<String, String> env) {
    String home = env.getOrDefault("VIGIL_HOME", ".vigil");
    String secret = env.get("VIGIL_JWT_SECRET");
    String secretFile = env.get("VIGIL_JWT_SECRET_FILE");
    return new AccessSettings(
        ApiKeyFile.defaultLocation(env),
        secret == null || secret.isBlank() ? null : secret,
        secretFile == null || secretFile.isBlank()
            ? Path.of(home).resolve("alerts").resolve("jwt-secret")
            : Path.of(secretFile),
        env.getOrDefault("VIGIL_DEFAULT_TENANT", "demo"),
        env.getOrDefault("VIGIL_TEAMS_CLAIM", "teams"),
        env.getOrDefault("VIGIL_TENANT_CLAIM", "tenant"),
        env.getOrDefault("VIGIL_FALLBACK_TEAM", "unassigned"));
  }

  @Override
  public String toString() {
    return "AccessSettings[apiKeysFile="
        + apiKeysFile
        + ", sessionSecret="
        + (sessionSecret == null ? "from " + sessionSecretFile : "set")
        + ", defaultTenant="
        + defaultTenant
        + "]";
  }
}
