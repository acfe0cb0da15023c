package io.vigil.scoring.app.topology;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectionReason;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.metrics.ScoringMetrics;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one record from stopping the stream. Runs a processor of the topology and, when processing
 * a record throws an exception of the processor's own (a bug, a state row it cannot read), sends
 * the record to vitals.rejected as {@code OTHER} with its origin (topic, partition, offset), the
 * raw key and value and the exception's class and message, counts it in {@code
 * vigil_scoring_records_rejected_total{reason="OTHER"}}, logs it, and lets the stream go on with
 * the next record. The dead letter is written in the task's transaction like any output, so it
 * exists exactly when the record counts as consumed.
 *
 * <p>Not caught, so they fail the stream thread (which is replaced and counted, and turns readiness
 * DOWN when it keeps happening):
 *
 * <ul>
 *   <li>Kafka Streams' own exceptions ({@link StreamsException} and its subclasses: a store that
 *       cannot be read or written, a task that moved to another instance, a producer that was
 *       fenced or cannot send) and {@link Error}s;
 *   <li>exceptions of punctuations (scoring due windows, idle closure, patient expiry): they
 *       concern no one record, and skipping them would leave every due window of the partition
 *       unscored while the service looked healthy;
 *   <li>a failure that follows {@link #CONSECUTIVE_FAILURE_LIMIT} consecutive failed records of the
 *       same processor in the same task. When every record fails, the fault is in the state or the
 *       code, not in the records, and dead-lettering would quietly move the whole partition to
 *       vitals.rejected. The count survives the replacement of the stream thread, so the task then
 *       stops on that record until a record is processed normally again (which resets it).
 * </ul>
 *
 * <p>A record that fails part-way through keeps the state changes made before the exception (as
 * with Kafka Streams' own continue-on-error handlers); the readings are summaries, so at worst the
 * one reading counts in its bucket without having moved the patient's clock.
 */
final class RecordGuard<K, V> implements Processor<K, V, Object, Object> {
  /** Consecutive failed records of one processor in one task that are dead-lettered at most. */
  static final int CONSECUTIVE_FAILURE_LIMIT = 10;

  private static final Logger LOG = LoggerFactory.getLogger(RecordGuard.class);

  private final String node;
  private final Processor<K, V, Object, Object> delegate;
  private final ScoringMetrics metrics;
  private final Map<String, AtomicInteger> consecutiveFailures;
  private final DeadLetter<K, V> deadLetter;
  private ProcessorContext<Object, Object> context;
  private AtomicInteger failures;

  /** How a failed record of one processor becomes a dead letter. */
  private record DeadLetter<K, V>(
      Function<Record<K, V>, PatientKey> key,
      Function<Record<K, V>, byte[]> rawKey,
      Function<Record<K, V>, byte[]> rawValue,
      boolean eventTime) {}

  private RecordGuard(
      String node,
      Processor<K, V, Object, Object> delegate,
      ScoringMetrics metrics,
      Map<String, AtomicInteger> consecutiveFailures,
      DeadLetter<K, V> deadLetter) {
    this.node = node;
    this.delegate = delegate;
    this.metrics = metrics;
    this.consecutiveFailures = consecutiveFailures;
    this.deadLetter = deadLetter;
  }

  /**
   * Guards a processor reading raw records of {@code vitals.observations}; the dead letter has no
   * record key (the key itself may be what is wrong).
   */
  static RecordGuard<byte[], byte[]> observations(
      String node,
      Processor<byte[], byte[], Object, Object> delegate,
      ScoringMetrics metrics,
      Map<String, AtomicInteger> consecutiveFailures) {
    return raw(node, delegate, metrics, consecutiveFailures, true);
  }

  /** Guards a processor reading raw records of {@code patients.context} (no event time). */
  static RecordGuard<byte[], byte[]> contexts(
      String node,
      Processor<byte[], byte[], Object, Object> delegate,
      ScoringMetrics metrics,
      Map<String, AtomicInteger> consecutiveFailures) {
    return raw(node, delegate, metrics, consecutiveFailures, false);
  }

  /**
   * A guard whose dead letter carries the raw key and value, and the record's time if it is one.
   */
  private static RecordGuard<byte[], byte[]> raw(
      String node,
      Processor<byte[], byte[], Object, Object> delegate,
      ScoringMetrics metrics,
      Map<String, AtomicInteger> consecutiveFailures,
      boolean eventTime) {
    return new RecordGuard<>(
        node,
        delegate,
        metrics,
        consecutiveFailures,
        new DeadLetter<>(r -> null, Record::key, Record::value, eventTime));
  }

  /**
   * Guards a processor reading validated readings; the dead letter is keyed by the patient and
   * carries the reading encoded again.
   */
  static RecordGuard<PatientKey, VitalObservation> readings(
      String node,
      Processor<PatientKey, VitalObservation, Object, Object> delegate,
      ScoringMetrics metrics,
      Map<String, AtomicInteger> consecutiveFailures) {
    return new RecordGuard<>(
        node,
        delegate,
        metrics,
        consecutiveFailures,
        new DeadLetter<>(
            Record::key,
            r -> encodeOrNull(() -> Topics.PATIENT_KEY.encode(r.key())),
            r ->
                encodeOrNull(
                    () ->
                        Topics.VITALS_OBSERVATIONS
                            .valueSerde()
                            .serializer()
                            .serialize(null, r.value())),
            true));
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.failures =
        consecutiveFailures.computeIfAbsent(
            context.taskId() + "/" + node, k -> new AtomicInteger());
    delegate.init(context);
  }

  @Override
  public void process(Record<K, V> record) {
    try {
      delegate.process(record);
    } catch (StreamsException e) {
      throw e;
    } catch (RuntimeException e) {
      int inARow = failures.incrementAndGet();
      RecordMetadata source = context.recordMetadata().orElse(null);
      if (inARow > CONSECUTIVE_FAILURE_LIMIT) {
        LOG.error(
            "{} failed on {} consecutive records of task {}; failing the stream thread on {}"
                + " instead of dead-lettering it",
            node,
            inARow,
            context.taskId(),
            origin(source));
        throw e;
      }
      LOG.error(
          "{} failed on {}; sent to {} as OTHER ({} consecutive failures in task {})",
          node,
          origin(source),
          Topics.VITALS_REJECTED.name(),
          inARow,
          context.taskId(),
          e);
      metrics.rejected(RejectionReason.OTHER);
      context.forward(
          new Record<Object, Object>(
              deadLetter.key().apply(record),
              Rejections.of(
                  source,
                  deadLetter.rawKey().apply(record),
                  deadLetter.rawValue().apply(record),
                  RejectionReason.OTHER,
                  "processing failed in " + node + ": " + Rejections.describe(e),
                  deadLetter.eventTime() ? record.timestamp() : null,
                  context.currentSystemTimeMs()),
              record.timestamp()),
          ScoringTopology.REJECTED_SINK);
      return;
    }
    failures.set(0);
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static String origin(RecordMetadata source) {
    return source == null
        ? "a record of unknown origin"
        : source.topic() + " partition " + source.partition() + " offset " + source.offset();
  }

  private static byte[] encodeOrNull(java.util.function.Supplier<byte[]> encode) {
    try {
      return encode.get();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
