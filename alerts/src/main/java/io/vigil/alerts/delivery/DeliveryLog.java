package io.vigil.alerts.delivery;

import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Recent delivery states (in memory, newest 5000), for the API; totals are in /metrics. */
@Singleton
public final class DeliveryLog {
  private static final int KEEP = 5000;
  private final Map<String, DeliveryStatus> byEvent =
      new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DeliveryStatus> eldest) {
          return size() > KEEP;
        }
      };

  public synchronized void record(DeliveryStatus status) {
    byEvent.put(status.eventId(), status);
  }

  public synchronized List<DeliveryStatus> forAlert(String alertId) {
    return byEvent.values().stream().filter(s -> s.alertId().equals(alertId)).toList();
  }
}
