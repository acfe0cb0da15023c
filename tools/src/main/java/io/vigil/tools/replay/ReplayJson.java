package io.vigil.tools.replay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.patients.Sex;
import io.vigil.tools.physionet.PhysioNetStay;
import java.time.Instant;
import java.util.Locale;

/**
 * The ingest API's JSON bodies for a replayed stay (the patient context also for the demo ward).
 */
public final class ReplayJson {
  private ReplayJson() {}

  /** Body of {@code PUT /v1/patients/{id}}: care team, age in years, sex, monitoring start. */
  public static String context(String careTeam, Double age, Sex sex, Instant monitoringStart) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.putArray("careTeams").add(careTeam);
    if (age != null) {
      node.put("age", age.intValue());
    }
    if (sex != null) {
      node.put("sex", sex.name().toLowerCase(Locale.ROOT));
    }
    node.put("monitoringStart", monitoringStart.toString());
    return node.toString();
  }

  static String reading(String stayId, String patientId, PhysioNetStay.Reading r) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", stayId + "-" + r.iculos() + "-" + r.vital().code());
    node.put("patientId", patientId);
    node.put("deviceId", "physionet2019");
    node.put("code", r.vital().code());
    node.put("value", r.value());
    node.put("unit", r.vital().unit());
    node.put("time", r.time().toString());
    return node.toString();
  }
}
