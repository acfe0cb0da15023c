package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertAction;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time from the payload: every Vigil topic uses LogAppendTime, so the record timestamp is
 * only when the broker received it.
 */
public final class EventTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    Object v = record.value();
    if (v instanceof RiskScore s) {
      return s.getWindowEnd().toEpochMilli();
    }
    if (v instanceof AlertAction a) {
      return a.getTime().toEpochMilli();
    }
    if (v instanceof PatientContext c) {
      return c.getUpdatedAt().toEpochMilli();
    }
    if (v instanceof AlertEvent e) {
      return e.getTime().toEpochMilli();
    }
    return record.timestamp() >= 0 ? record.timestamp() : Math.max(partitionTime, 0);
  }
}
