package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.BudgetObservation;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the payload: every Vigil topic uses LogAppendTime, so the record timestamp is
 * only when the broker received it.
 *
 * <p>An event time no Vigil service writes (before 1970, or more than {@link #MAX_AHEAD} ahead of
 * this service's clock, as a record produced straight to an input may carry) is not used: the
 * record keeps the partition's time, so it cannot move stream time, and the processor sets it aside
 * with {@link #problem}. Used as the record's timestamp, it would be copied onto the changelog
 * records of the state it changes, which the broker refuses beyond its {@code
 * message.timestamp.after.max.ms}, failing the stream thread on the same record forever.
 */
public final class EventTimeExtractor implements TimestampExtractor {
  /** Twice the device clock skew scoring allows; scores, contexts and actions are never later. */
  static final Duration MAX_AHEAD = Duration.ofMinutes(10);

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Instant time = eventTime(record.value());
    if (time != null && problem(time, System.currentTimeMillis()) == null) {
      return time.toEpochMilli();
    }
    if (time == null && record.timestamp() >= 0) {
      return record.timestamp();
    }
    return Math.max(partitionTime, 0);
  }

  /** The event time a payload carries, or null for a value without one. */
  static Instant eventTime(Object value) {
    if (value instanceof RiskScore s) {
      return s.getWindowEnd();
    }
    if (value instanceof AlertAction a) {
      return a.getTime();
    }
    if (value instanceof PatientContext c) {
      return c.getUpdatedAt();
    }
    if (value instanceof AlertEvent e) {
      return e.getTime();
    }
    if (value instanceof BudgetObservation o) {
      return o.getWindowEnd();
    }
    if (value instanceof TeamThreshold t) {
      return t.getComputedAt();
    }
    return null;
  }

  /** Why {@code time} cannot be an input's event time at {@code nowMs}, or null when it can. */
  static String problem(Instant time, long nowMs) {
    long t = time.toEpochMilli();
    if (t < 0) {
      return "event time " + time + " is before 1970";
    }
    if (t > nowMs + MAX_AHEAD.toMillis()) {
      return "event time "
          + time
          + " is more than "
          + MAX_AHEAD.toMinutes()
          + " minutes ahead of this service's clock ("
          + Instant.ofEpochMilli(nowMs)
          + ")";
    }
    return null;
  }
}
