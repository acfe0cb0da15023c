package io.vigil.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The service's settings, bound from {@code vigil.ingest.*} (see application.yml for defaults and
 * the environment variables that override them).
 *
 * @param home state folder (API keys, demo.env), {@code VIGIL_HOME}
 * @param apiKeysFile where the hashed API keys live; relative paths resolve against {@code home}
 * @param maxBatchReadings largest accepted batch, in readings
 * @param maxAge oldest accepted reading, counted back from arrival
 * @param maxFuture how far ahead of the server clock a reading may be (device clock skew)
 * @param kafkaTimeout longest a request waits for Kafka to acknowledge its records before 503
 * @param retryAfter what a 503 tells the client to wait
 * @param rateLimitPerSecond requests per second each source may make, sustained
 * @param rateLimitBurst requests a source may make at once above the sustained rate
 * @param maxPatientsPerTenant most patients a tenant may have; 0 for no bound
 * @param patientLimitRetryAfter what a 429 for the patient bound tells the client to wait
 */
@ConfigurationProperties("vigil.ingest")
public record IngestConfig(
    Path home,
    String apiKeysFile,
    int maxBatchReadings,
    Duration maxAge,
    Duration maxFuture,
    Duration kafkaTimeout,
    Duration retryAfter,
    double rateLimitPerSecond,
    int rateLimitBurst,
    int maxPatientsPerTenant,
    Duration patientLimitRetryAfter) {

  public Path apiKeysPath() {
    return home.resolve(apiKeysFile);
  }
}
