package io.vigil.scoring.app.topology;

import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialisation handler for the scoring topology: a record its source cannot
 * deserialise is counted in {@code vigil_scoring_records_rejected_total} (UNKNOWN_SCHEMA or
 * UNDECODABLE), logged with its origin (topic, partition, offset), and skipped; the stream goes on.
 *
 * <p>The topology's sources read raw bytes, which always deserialise, so this is a guard for the
 * unforeseen: bad records are decoded, dead-lettered to vitals.rejected and counted by the
 * processors. A record skipped here is not on vitals.rejected (Kafka Streams 4.1 gives the handler
 * no way to write into the task's transaction); the log line names its origin so it can be read
 * from the input topic.
 *
 * <p>The metrics come from the Streams configuration, under {@link #METRICS_CONFIG} (set by {@link
 * ScoringTopology#streamsConfig}).
 */
public final class DeserializationFailures implements DeserializationExceptionHandler {
  /** Streams configuration key holding the {@link ScoringMetrics} to count in. */
  public static final String METRICS_CONFIG = "vigil.scoring.metrics";

  private static final Logger LOG = LoggerFactory.getLogger(DeserializationFailures.class);

  private ScoringMetrics metrics;

  @Override
  public void configure(Map<String, ?> configs) {
    Object configured = configs.get(METRICS_CONFIG);
    if (!(configured instanceof ScoringMetrics m)) {
      throw new IllegalArgumentException(
          METRICS_CONFIG + " must hold the ScoringMetrics to count skipped records in");
    }
    this.metrics = m;
  }

  @Override
  public DeserializationHandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    RejectionReason reason =
        exception instanceof SerializationException s
            ? Rejections.reasonOf(s)
            : RejectionReason.UNDECODABLE;
    metrics.rejected(reason);
    LOG.warn(
        "skipped a record of {} partition {} offset {} that cannot be deserialised ({}): {}",
        context.topic(),
        context.partition(),
        context.offset(),
        reason,
        Rejections.describe(exception));
    return DeserializationHandlerResponse.CONTINUE;
  }
}
