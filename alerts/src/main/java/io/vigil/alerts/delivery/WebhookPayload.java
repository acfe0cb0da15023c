package io.vigil.alerts.delivery;

import io.vigil.schemas.alerts.AlertEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON a care team's webhook receives for one alert event. It names the patient only by the
 * patient key: no name, no birth date, no free-text identifiers (nurse notes are left out too).
 * {@code lateData} true means the evidence rests on readings that arrived after their window had
 * closed: {@code windowEnd} is then the time the data describe, possibly hours before the event.
 */
public final class WebhookPayload {
  private WebhookPayload() {}

  public static String of(String patient, AlertEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("eventId", e.getEventId());
    m.put("alertId", e.getAlertId());
    m.put("type", e.getType().name());
    m.put("patient", patient);
    m.put("cause", e.getCause().name());
    m.put("category", e.getCategory().name());
    m.put("priority", e.getPriority().name());
    m.put("careTeam", e.getCareTeam());
    m.put("tier", e.getTier());
    m.put("time", e.getTime().toString());
    m.put("lstmRisk", e.getLstmRisk());
    m.put("news2Total", e.getNews2Total());
    m.put("windowEnd", e.getWindowEnd() == null ? null : e.getWindowEnd().toString());
    m.put("revision", e.getRevision());
    m.put("lateData", e.getLateData());
    m.put("lateReadings", e.getLateReadings());
    return Json.object(m);
  }
}
