package io.vigil.scoring.app;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.scoring.app.topology.ScoringConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces readings to a real broker, the way ingest does. */
public final class Readings {
  private Readings() {}

  public static VitalObservation of(String id, Vital vital, double value, Instant time) {
    return VitalObservation.newBuilder()
        .setReadingId(id)
        .setSourceId("platform-1")
        .setVital(vital.type())
        .setLoinc(vital.loinc())
        .setValue(value)
        .setUnit(vital.unit())
        .setTime(time)
        .setTimeReceived(time.plusSeconds(1))
        .build();
  }

  /**
   * The window ends, in event time, due for a patient who read at least every 10 minutes from
   * {@code first} through {@code last} (as {@link #send} does): every end on the patient's grid
   * (multiples of the cadence plus the patient's phase) after the first reading whose end plus
   * grace the last reading reached.
   */
  public static List<Instant> dueEnds(
      ScoringConfig config, PatientKey patient, Instant first, Instant last) {
    long cadence = config.cadenceMs();
    long phase = config.phaseMs(patient);
    List<Instant> ends = new ArrayList<>();
    long end = Math.floorDiv(first.toEpochMilli() - phase, cadence) * cadence + cadence + phase;
    for (; end + config.graceMs() <= last.toEpochMilli(); end += cadence) {
      ends.add(Instant.ofEpochMilli(end));
    }
    return ends;
  }

  /**
   * Sends heart-rate and SpO2 readings every 10 minutes from {@code fromMinute} (inclusive) to
   * {@code toMinute} (exclusive) after {@code start} for each patient, in event-time order, and
   * waits for every acknowledgement.
   */
  public static void send(
      KafkaProducer<PatientKey, VitalObservation> producer,
      Iterable<PatientKey> patients,
      Instant start,
      int fromMinute,
      int toMinute)
      throws Exception {
    var futures = new java.util.ArrayList<java.util.concurrent.Future<?>>();
    for (int minute = fromMinute; minute < toMinute; minute += 10) {
      Instant t = start.plus(Duration.ofMinutes(minute));
      for (PatientKey p : patients) {
        String id = p.getPatientId() + "-" + minute;
        futures.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.VITALS_OBSERVATIONS.name(),
                    p,
                    of(id + "-hr", Vital.HEART_RATE, 70 + minute % 40, t))));
        futures.add(
            producer.send(
                new ProducerRecord<>(
                    Topics.VITALS_OBSERVATIONS.name(),
                    p,
                    of(id + "-spo2", Vital.OXYGEN_SATURATION, 92 + minute % 7, t))));
      }
    }
    for (var f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
  }
}
