package io.vigil.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySource.Origin;
import io.micronaut.context.env.PropertySource.PropertyConvention;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.vigil.schemas.VigilHome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's settings under the environment variables the README documents, mapped as Micronaut
 * maps the process's environment (application.yml names each variable).
 */
class IngestConfigTest {

  private static ApplicationContext start(Map<String, Object> env) {
    return ApplicationContext.builder()
        .environmentPropertySource(false)
        .propertySources(
            PropertySource.of(
                "given-env", env, PropertyConvention.ENVIRONMENT_VARIABLE, Origin.of("given-env")))
        .eagerInitConfiguration(true)
        .start();
  }

  @Test
  void shouldTakeEveryDocumentedVariable() {
    Map<String, Object> env = new HashMap<>();
    env.put("PORT", "9181");
    env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092");
    env.put("VIGIL_HOME", "/var/lib/vigil");
    env.put("VIGIL_INGEST_API_KEYS", "keys.tsv");
    env.put("VIGIL_INGEST_MAX_BODY_BYTES", "2048");
    env.put("VIGIL_INGEST_MAX_BATCH", "10");
    env.put("VIGIL_INGEST_MAX_AGE", "2d");
    env.put("VIGIL_INGEST_MAX_FUTURE", "1m");
    env.put("VIGIL_INGEST_KAFKA_TIMEOUT", "3s");
    env.put("VIGIL_INGEST_RETRY_AFTER", "7s");
    env.put("VIGIL_INGEST_RATE_LIMIT", "2.5");
    env.put("VIGIL_INGEST_RATE_BURST", "4");
    env.put("VIGIL_INGEST_MAX_PATIENTS", "0");
    env.put("VIGIL_INGEST_PATIENT_LIMIT_RETRY_AFTER", "2h");
    env.put("VIGIL_INGEST_METRICS_SOURCE_LABELS", "true");
    env.put("VIGIL_INGEST_TOPIC_REPLICATION_FACTOR", "3");
    env.put("VIGIL_DEMO", "true");
    try (ApplicationContext ctx = start(env)) {
      IngestConfig c = ctx.getBean(IngestConfig.class);
      VigilHome home = ctx.getBean(VigilHome.class);
      assertEquals(Path.of("/var/lib/vigil", "keys.tsv"), c.apiKeysPath(home));
      assertEquals(10, c.maxBatchReadings());
      assertEquals(Duration.ofDays(2), c.maxAge());
      assertEquals(Duration.ofMinutes(1), c.maxFuture());
      assertEquals(Duration.ofSeconds(3), c.kafkaTimeout());
      assertEquals(Duration.ofSeconds(7), c.retryAfter());
      assertEquals(2.5, c.rateLimitPerSecond());
      assertEquals(4, c.rateLimitBurst());
      assertEquals(0, c.maxPatientsPerTenant());
      assertEquals(Duration.ofHours(2), c.patientLimitRetryAfter());
      assertTrue(c.metricsSourceLabels());
      assertEquals(3, c.topicReplicationFactor());
      assertEquals(9181, ctx.getProperty("micronaut.server.port", Integer.class).orElseThrow());
      assertEquals(
          2048, ctx.getProperty("micronaut.server.max-request-size", Integer.class).orElseThrow());
      assertEquals(
          "127.0.0.1:19092",
          ctx.getProperty("kafka.bootstrap.servers", String.class).orElseThrow());
      assertTrue(ctx.getProperty("vigil.demo", Boolean.class).orElseThrow());
    }
  }

  @Test
  void shouldUseTheDocumentedDefaults() {
    try (ApplicationContext ctx = start(Map.of())) {
      IngestConfig c = ctx.getBean(IngestConfig.class);
      assertEquals(
          Path.of(".vigil", "ingest-api-keys.tsv"), c.apiKeysPath(ctx.getBean(VigilHome.class)));
      assertEquals(5000, c.maxBatchReadings());
      assertEquals(Duration.ofDays(30), c.maxAge());
      assertEquals(Duration.ofMinutes(5), c.maxFuture());
      assertEquals(Duration.ofSeconds(8), c.kafkaTimeout());
      assertEquals(Duration.ofSeconds(5), c.retryAfter());
      assertEquals(50.0, c.rateLimitPerSecond());
      assertEquals(100, c.rateLimitBurst());
      assertEquals(100_000, c.maxPatientsPerTenant());
      assertEquals(Duration.ofHours(1), c.patientLimitRetryAfter());
      assertEquals(false, c.metricsSourceLabels());
      assertEquals(1, c.topicReplicationFactor());
      assertEquals(8081, ctx.getProperty("micronaut.server.port", Integer.class).orElseThrow());
      assertEquals(
          "127.0.0.1:9092", ctx.getProperty("kafka.bootstrap.servers", String.class).orElseThrow());
      assertEquals(false, ctx.getProperty("vigil.demo", Boolean.class).orElseThrow());
    }
  }

  @Test
  void shouldRefuseToStartWithAValueOfTheWrongTypeNamingTheSetting() {
    BeanInstantiationException e =
        assertThrows(
            BeanInstantiationException.class,
            () -> start(Map.of("VIGIL_INGEST_MAX_AGE", "a month")).close());
    assertTrue(e.getMessage().contains("[vigil.ingest.max-age]"), e.getMessage());
    assertTrue(e.getMessage().contains("[a month]"), e.getMessage());
  }
}
