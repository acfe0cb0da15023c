package io.vigil.scoring.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.vigil.schemas.VigilHome;
import io.vigil.scoring.app.access.AccessConfig;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.app.topology.WindowPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The service's settings under the environment variables the module README documents, bound as the
 * service binds them at start ({@link ConfigContext}).
 */
class ServiceConfigTest {

  @Test
  void shouldTakeEveryDocumentedVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092");
    env.put("PORT", "9182");
    env.put("VIGIL_HOME", "/var/lib/vigil");
    env.put("SCORING_APPLICATION_ID", "scoring-b");
    env.put("SCORING_HOST", "scoring-1.scoring");
    env.put("SCORING_MODEL_DIR", "/models/lstm");
    env.put("SCORING_THREADS", "3");
    env.put("SCORING_CADENCE_MINUTES", "20");
    env.put("SCORING_WINDOW_PHASE", "aligned");
    env.put("SCORING_GRACE_MINUTES", "2");
    env.put("SCORING_ALLOWED_LATENESS_HOURS", "6");
    env.put("SCORING_PATIENT_EXPIRY_DAYS", "7");
    env.put("SCORING_IDLE_MINUTES", "30");
    env.put("SCORING_BATCH_SIZE", "1024");
    env.put("SCORING_INFERENCE_THREADS", "2");
    env.put("SCORING_EXPLAIN_LEVEL", "0.5");
    env.put("SCORING_RETENTION_DAYS", "3");
    env.put("SCORING_METRICS_TENANT_LABELS", "true");
    env.put("SCORING_THREAD_FAILURE_LIMIT", "5");
    env.put("SCORING_THREAD_FAILURE_WINDOW_MINUTES", "15");
    env.put("SCORING_STATUS_INTERVAL_SECONDS", "2");
    env.put("SCORING_REPLICATION_FACTOR", "3");
    env.put("VIGIL_INGEST_API_KEYS", "keys.tsv");
    env.put("VIGIL_JWT_SECRET", "a-session-secret-of-at-least-32-characters");
    env.put("VIGIL_JWT_SECRET_FILE", "/run/secrets/jwt");
    env.put("VIGIL_DEFAULT_TENANT", "hospital-x");
    env.put("VIGIL_TEAMS_CLAIM", "groups");
    env.put("VIGIL_TENANT_CLAIM", "org");
    env.put("VIGIL_FALLBACK_TEAM", "triage");
    env.put("KAFKA_STREAMS_SESSION_TIMEOUT_MS", "6000");
    env.put("KAFKA_STREAMS_NUM_STANDBY_REPLICAS", "1");
    try (ApplicationContext ctx = ConfigContext.start(env)) {
      ServiceConfig c = ctx.getBean(ServiceConfig.class);
      VigilHome home = ctx.getBean(VigilHome.class);
      assertEquals("scoring-b", c.applicationId());
      assertEquals("scoring-1.scoring", c.host());
      assertEquals(Path.of("/var/lib/vigil", "scoring-state"), c.stateDir(home));
      assertEquals(Path.of("/models/lstm"), c.modelPath());
      assertEquals(3, c.streamThreads());
      assertTrue(c.metricsTenantLabels());
      assertEquals(5, c.threadFailureLimit());
      assertEquals(Duration.ofMinutes(15), c.threadFailureWindow());
      assertEquals(Duration.ofSeconds(2), c.statusInterval());
      assertEquals(3, c.replicationFactor());
      assertEquals(
          ScoringConfig.defaults().toBuilder()
              .windowHours(3)
              .cadence(Duration.ofMinutes(20))
              .windowPhase(WindowPhase.ALIGNED)
              .grace(Duration.ofMinutes(2))
              .allowedLateness(Duration.ofHours(6))
              .patientExpiry(Duration.ofDays(7))
              .idleTimeout(Duration.ofMinutes(30))
              .batchSize(1024)
              .inferenceThreads(2)
              .explainLevel(0.5)
              .scoreRetention(Duration.ofDays(3))
              .build(),
          ctx.getBean(ScoringConfig.class));
      AccessConfig access = ctx.getBean(AccessConfig.class);
      assertEquals(Path.of("/var/lib/vigil", "keys.tsv"), access.apiKeysPath(home));
      assertEquals("a-session-secret-of-at-least-32-characters", access.configuredSessionSecret());
      assertEquals(Path.of("/run/secrets/jwt"), access.sessionSecretPath(home));
      assertEquals("hospital-x", access.defaultTenant());
      assertEquals("groups", access.teamsClaim());
      assertEquals("org", access.tenantClaim());
      assertEquals("triage", access.fallbackTeam());
      KafkaConfig kafka = ctx.getBean(KafkaConfig.class);
      assertEquals("kafka-1:9092,kafka-2:9092", kafka.bootstrapServers());
      Properties streams = new Properties();
      streams.put("session.timeout.ms", "6000");
      streams.put("num.standby.replicas", "1");
      assertEquals(streams, kafka.streamsOverrides());
      assertEquals(9182, ctx.getProperty("micronaut.server.port", Integer.class).orElseThrow());
    }
  }

  @Test
  void shouldUseTheDocumentedDefaults() {
    try (ApplicationContext ctx = ConfigContext.start(Map.of())) {
      ServiceConfig c = ctx.getBean(ServiceConfig.class);
      VigilHome home = ctx.getBean(VigilHome.class);
      assertEquals("vigil-scoring", c.applicationId());
      assertEquals("127.0.0.1", c.host());
      assertEquals(Path.of(".vigil", "scoring-state"), c.stateDir(home), "VIGIL_HOME's default");
      assertNull(c.modelPath(), "the shipped bundle");
      assertEquals(Runtime.getRuntime().availableProcessors(), c.streamThreads());
      assertEquals(false, c.metricsTenantLabels());
      assertEquals(3, c.threadFailureLimit());
      assertEquals(Duration.ofMinutes(10), c.threadFailureWindow());
      assertEquals(Duration.ofSeconds(10), c.statusInterval());
      assertEquals(1, c.replicationFactor());
      assertEquals(ScoringConfig.defaults().withWindowHours(3), ctx.getBean(ScoringConfig.class));
      AccessConfig access = ctx.getBean(AccessConfig.class);
      assertEquals(Path.of(".vigil", "ingest-api-keys.tsv"), access.apiKeysPath(home));
      assertNull(access.configuredSessionSecret());
      assertEquals(Path.of(".vigil", "alerts", "jwt-secret"), access.sessionSecretPath(home));
      assertEquals("demo", access.defaultTenant());
      assertEquals("teams", access.teamsClaim());
      assertEquals("tenant", access.tenantClaim());
      assertEquals("unassigned", access.fallbackTeam());
      KafkaConfig kafka = ctx.getBean(KafkaConfig.class);
      assertEquals("127.0.0.1:9092", kafka.bootstrapServers());
      assertEquals(8082, ctx.getProperty("micronaut.server.port", Integer.class).orElseThrow());
    }
  }

  @Test
  void shouldRefuseToStartWithAValueThatIsNotANumberNamingTheSetting() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> ConfigContext.start(Map.of("SCORING_CADENCE_MINUTES", "hourly")).close());
    assertTrue(e.getMessage().contains("[vigil.scoring.cadence-minutes]"), e.getMessage());
    assertTrue(e.getMessage().contains("[hourly]"), e.getMessage());
  }

  @Test
  void shouldRefuseToStartWithACadenceThatDoesNotDivideAnHour() {
    IllegalArgumentException e = ConfigContext.refusal(Map.of("SCORING_CADENCE_MINUTES", "7"));
    assertTrue(
        e.getMessage().startsWith("cadence must be a whole number of minutes"), e.getMessage());
  }
}
