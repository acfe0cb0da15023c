package io.vigil.alerts.deadletter;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams client's answer to a record it cannot decode or process (the lifecycle's on
 * {@code risk.scores}, {@code patients.context}, {@code alerts.actions} or the webhook dead
 * letters; the vitals history's on {@code vitals.observations}): the record goes to {@code
 * alerts.dead-letter} with the reason and its origin and the stream goes on with the next one, so
 * one bad record never stops every patient's alerts. If the dead letter cannot be written the
 * stream thread fails and is replaced, and the record is tried again. Each client names itself as
 * the component ({@link #COMPONENT}, {@value #LIFECYCLE} unless set) in the dead letter's header,
 * the log and {@code vigil_alerts_dead_letters_total}. Without a {@link DeadLetters} in the
 * configuration (topology tests) the record is logged and skipped.
 */
public final class StreamsDeadLetterHandler
    implements DeserializationExceptionHandler, ProcessingExceptionHandler {
  /** Streams configuration key holding the {@link DeadLetters} instance. */
  public static final String DEAD_LETTERS = "vigil.alerts.dead-letters";

  /** Streams configuration key naming the client whose records are set aside. */
  public static final String COMPONENT = "vigil.alerts.dead-letters.component";

  /** The component of a client that names none: the lifecycle's. */
  public static final String LIFECYCLE = "lifecycle";

  private static final Logger LOG = LoggerFactory.getLogger(StreamsDeadLetterHandler.class);
  private DeadLetters deadLetters;
  private String component = LIFECYCLE;

  @Override
  public void configure(Map<String, ?> configs) {
    Object d = configs.get(DEAD_LETTERS);
    deadLetters = d instanceof DeadLetters dl ? dl : null;
    if (configs.get(COMPONENT) instanceof String c) {
      component = c;
    }
  }

  @Override
  public DeserializationHandlerResponse handle(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    return setAside(
            record.topic(),
            record.partition(),
            record.offset(),
            record.key(),
            record.value(),
            exception)
        ? DeserializationHandlerResponse.CONTINUE
        : DeserializationHandlerResponse.FAIL;
  }

  @Override
  public ProcessingHandlerResponse handle(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    return setAside(
            context.topic(),
            context.partition(),
            context.offset(),
            context.sourceRawKey(),
            context.sourceRawValue(),
            exception)
        ? ProcessingHandlerResponse.CONTINUE
        : ProcessingHandlerResponse.FAIL;
  }

  private boolean setAside(
      String source, int partition, long offset, byte[] key, byte[] value, Exception why) {
    String topic = source == null ? "(punctuation)" : source;
    if (deadLetters == null) {
      LOG.warn(
          "{}: record {}-{}@{} skipped: {}",
          component,
          topic,
          partition,
          offset,
          DeadLetters.reason(why));
      return true;
    }
    try {
      deadLetters.send(component, topic, partition, offset, key, value, why);
      return true;
    } catch (Exception e) {
      LOG.error(
          "{}: could not set aside record {}-{}@{}; the stream thread restarts",
          component,
          topic,
          partition,
          offset,
          e);
      return false;
    }
  }
}
