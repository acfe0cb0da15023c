package io.vigil.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.vigil.schemas.VigilHome;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The service's settings, bound from {@code vigil.ingest.*}: application.yml gives each its default
 * and the environment variable that overrides it. A value that is not of the setting's type stops
 * the start, naming the setting.
 *
 * @param apiKeysFile where the hashed API keys live, {@code VIGIL_INGEST_API_KEYS}; a relative path
 *     resolves against the state folder ({@code VIGIL_HOME})
 * @param maxBatchReadings largest accepted batch, in readings
 * @param maxAge oldest accepted reading, counted back from arrival
 * @param maxFuture how far ahead of the server clock a reading may be (device clock skew)
 * @param kafkaTimeout longest a request waits for Kafka to acknowledge its records before 503
 * @param retryAfter what a 503 tells the client to wait
 * @param rateLimitPerSecond requests per second each source may make, sustained
 * @param rateLimitBurst requests a source may make at once above the sustained rate
 * @param maxPatientsPerTenant most patients a tenant may have; 0 for no bound
 * @param patientLimitRetryAfter what a 429 for the patient bound tells the client to wait
 * @param metricsSourceLabels whether metrics label readings by source (it names platforms in {@code
 *     /metrics}); off, the source label is {@code *}
 * @param topicReplicationFactor copies of each partition of a topic the service creates
 */
@ConfigurationProperties("vigil.ingest")
public record IngestConfig(
    String apiKeysFile,
    int maxBatchReadings,
    Duration maxAge,
    Duration maxFuture,
    Duration kafkaTimeout,
    Duration retryAfter,
    double rateLimitPerSecond,
    int rateLimitBurst,
    int maxPatientsPerTenant,
    Duration patientLimitRetryAfter,
    boolean metricsSourceLabels,
    short topicReplicationFactor) {

  public Path apiKeysPath(VigilHome home) {
    return home.resolve(apiKeysFile);
  }
}
