package io.vigil.tools.simulator;

import io.vigil.schemas.Vital;
import io.vigil.schemas.patients.Sex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A remotely monitored patient wearing a chest patch (heart rate, respiratory rate, temperature), a
 * finger pulse oximeter (SpO2) and an automatic cuff (blood pressure every 4 h), minute by minute.
 *
 * <p>Every value is a pure function of the patient's seed and the minute, so any time range can be
 * generated in any order and the same seed always gives the same readings (the demo ward can post
 * readings as time goes by; tests can ask for yesterday). Modelled: personal baselines; circadian
 * rhythm (heart rate and temperature lowest around 04:00); activity bouts (heart rate and breathing
 * up); measurement noise; motion artefacts (heart-rate spikes, brief false SpO2 dips); dropouts
 * (device off for up to two hours, more at night); sparse blood pressure; and optionally one {@link
 * Episode} of deterioration.
 */
public final class SimulatedPatient {
  private static final long MINUTE = 60_000L;

  private final String id;
  private final int age;
  private final Sex sex;
  private final Instant monitoringStart;
  private final Episode episode;
  private final long seed;
  private final double hr;
  private final double rr;
  private final double spo2;
  private final double temp;
  private final double sbp;
  private final double dbp;

  public SimulatedPatient(
      String id, int age, Sex sex, Instant monitoringStart, Episode episode, long seed) {
    this.id = id;
    this.age = age;
    this.sex = sex;
    this.monitoringStart = monitoringStart;
    this.episode = episode;
    this.seed = seed;
    SplittableRandom r = new SplittableRandom(seed);
    hr = 72 + 8 * r.nextGaussian();
    rr = 15 + 1.5 * r.nextGaussian();
    spo2 = Math.min(99, 96.5 + 1.2 * r.nextGaussian());
    temp = 36.7 + 0.2 * r.nextGaussian();
    sbp = 124 + 12 * r.nextGaussian() + 0.2 * (age - 60);
    dbp = 77 + 7 * r.nextGaussian();
  }

  public String id() {
    return id;
  }

  public int age() {
    return age;
  }

  public Sex sex() {
    return sex;
  }

  public Instant monitoringStart() {
    return monitoringStart;
  }

  /** The deterioration episode, or null for a stable patient. */
  public Episode episode() {
    return episode;
  }

  /** Every reading with time in {@code [from, to)}, in time order. */
  public List<SimulatedReading> readings(Instant from, Instant to) {
    List<SimulatedReading> out = new ArrayList<>();
    long first =
        Math.max(ceilMinute(from.toEpochMilli()), ceilMinute(monitoringStart.toEpochMilli()));
    for (long m = first; m < to.toEpochMilli(); m += MINUTE) {
      minute(m, out);
    }
    return out;
  }

  private static long ceilMinute(long millis) {
    return Math.floorDiv(millis + MINUTE - 1, MINUTE) * MINUTE;
  }

  private SplittableRandom random(long key, long salt) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ key * 0xBF58476D1CE4E5B9L ^ salt);
  }

  private void minute(long m, List<SimulatedReading> out) {
    long minuteIndex = m / MINUTE;
    long hourIndex = m / 3_600_000L;
    Instant t = Instant.ofEpochMilli(m);
    if (offline(minuteIndex)) {
      return;
    }
    SplittableRandom r = random(minuteIndex, 1);
    double hourOfDay = (m / 3_600_000.0) % 24;
    double circadian = Math.cos(2 * Math.PI * (hourOfDay - 16) / 24); // +1 at 16:00, -1 at 04:00
    double activity = activity(hourIndex, minuteIndex);
    double s = episode == null ? 0 : episode.severity(t);
    EpisodeType e = episode == null ? EpisodeType.SEPSIS : episode.type();

    double heart = hr + 5 * circadian + 25 * activity + s * e.heartRate + 2.5 * r.nextGaussian();
    if (r.nextDouble() < 0.004) {
      heart *= 1.6; // motion artefact: the patch counts movement as beats
    }
    double resp =
        rr + 0.8 * circadian + 5 * activity + s * e.respiratoryRate + 1.2 * r.nextGaussian();
    double sat = spo2 - 0.5 * activity + s * e.spo2 + 0.7 * r.nextGaussian();
    if (r.nextDouble() < 0.003) {
      sat -= 8 + 6 * r.nextDouble(); // motion artefact: poor perfusion reading at the finger
    }
    sat = Math.min(100, sat);
    emit(out, Vital.HEART_RATE, Math.round(heart), t);
    emit(out, Vital.RESPIRATORY_RATE, Math.round(resp), t);
    emit(out, Vital.OXYGEN_SATURATION, Math.round(sat), t);
    if (minuteIndex % 10 == 0) {
      double temperature =
          temp + 0.3 * circadian + 0.1 * activity + s * e.temperature + 0.08 * r.nextGaussian();
      emit(out, Vital.BODY_TEMPERATURE, Math.round(temperature * 10) / 10.0, t);
    }
    if (minuteIndex % 240 == 0 && r.nextDouble() < 0.9) {
      double systolic = sbp + 4 * circadian + s * e.systolic + 6 * r.nextGaussian();
      double diastolic = dbp + 2 * circadian + s * e.diastolic + 4 * r.nextGaussian();
      emit(out, Vital.SYSTOLIC_BP, Math.round(systolic), t);
      emit(out, Vital.DIASTOLIC_BP, Math.round(diastolic), t);
      emit(out, Vital.MEAN_BP, Math.round((systolic + 2 * diastolic) / 3), t);
    }
  }

  /** 0..1 activity level: bouts of 10-40 min starting in some daytime hours. */
  private double activity(long hourIndex, long minuteIndex) {
    SplittableRandom r = random(hourIndex, 2);
    double hourOfDay = hourIndex % 24;
    boolean daytime = hourOfDay >= 7 && hourOfDay < 22;
    if (r.nextDouble() > (daytime ? 0.35 : 0.03)) {
      return 0;
    }
    long start = r.nextInt(60);
    long length = 10 + r.nextInt(31);
    long minuteOfHour = minuteIndex % 60;
    boolean inBout = minuteOfHour >= start && minuteOfHour < start + length;
    return inBout ? 0.5 + 0.5 * r.nextDouble() : 0;
  }

  /** Device off: in some hours, a gap of 5-120 min (charging, removed, out of range). */
  private boolean offline(long minuteIndex) {
    long hourIndex = minuteIndex / 60;
    for (long h = hourIndex - 1; h <= hourIndex; h++) {
      SplittableRandom r = random(h, 3);
      if (r.nextDouble() < 0.06) {
        long start = h * 60 + r.nextInt(60);
        long length = 5 + r.nextInt(116);
        if (minuteIndex >= start && minuteIndex < start + length) {
          return true;
        }
      }
    }
    return false;
  }

  private void emit(List<SimulatedReading> out, Vital vital, double value, Instant t) {
    if (vital.isPlausible(value)) {
      out.add(
          new SimulatedReading(
              id + "-" + vital.code() + "-" + t.toEpochMilli(), id, vital, value, t));
    }
  }
}
