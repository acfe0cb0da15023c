package io.vigil.scoring.features;

import io.vigil.schemas.Vital;
import io.vigil.scoring.news2.News2Bands;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Features describing a patient's course, for the last {@code steps} hours of a longer window (the
 * history): each hour's row is computed from the history up to the end of that hour, so the
 * earliest rows see less of it. Hourly means are the unit throughout (one value per vital per hour
 * with readings), so an ICU chart with one reading an hour and a wearable with sixty give
 * comparable figures.
 *
 * <p>Per vital, in {@link Vital} order ({@value #PER_VITAL} features):
 *
 * <ul>
 *   <li>{@code <vital>}: the latest hourly mean so far in the history (carried forward);
 *   <li>over the last 6 and the last 24 hours ({@code _6h}, {@code _24h}, within the history):
 *       mean, min, max and standard deviation of the hourly means, slope (least squares, per hour)
 *       and the last minus the first hourly mean;
 *   <li>{@code <vital>_from_baseline}: the latest hourly mean minus the patient's early baseline,
 *       the mean of the first {@value #BASELINE_HOURS} hours with readings of the vital in the
 *       history;
 *   <li>{@code <vital>_abnormal_hours_24h}: hours of the last 24 whose mean lies in the vital's
 *       abnormal range ({@link #abnormal}).
 * </ul>
 *
 * <p>Derived from the latest hourly means: {@code shock_index} (heart rate / systolic BP), {@code
 * pulse_pressure} (systolic − diastolic), {@code sirs_vitals} (0-3: heart rate &gt; 90, respiratory
 * rate &gt; 20, temperature &gt; 38 or &lt; 36 °C), {@code qsofa_vitals} (0-2: respiratory rate ≥
 * 22, systolic ≤ 100), the NEWS2 sub-scores of respiratory rate, SpO2 (scale 1), systolic BP, pulse
 * and temperature and their sum. Then age, sex and hours since monitoring started, as in {@link
 * FeatureEncoder}.
 *
 * <p>With {@code timing}, a switchable group that describes how the patient is charted rather than
 * how they are, per vital: {@code _observed} (the hour has a reading), {@code _hours_since} (to the
 * latest reading, capped at 24) and {@code _readings_24h} (readings in the last 24 hours, log1p).
 *
 * <p>NaN where a figure is undefined (no reading yet; fewer than two hourly means for a standard
 * deviation or a slope); the normaliser maps NaN to the training mean.
 */
public final class CourseEncoder {
  public static final int PER_VITAL = 15;
  public static final int BASELINE_HOURS = 6;
  static final int[] HORIZONS = {6, 24};
  static final String[] STATS = {"mean", "min", "max", "std", "slope", "change"};
  static final int DERIVED = 10;
  static final int PATIENT = 3;
  static final int TIMING_PER_VITAL = 3;
  private static final Vital[] VITALS = Vital.values();

  private final boolean timing;
  private final List<String> names;

  CourseEncoder(boolean timing) {
    this.timing = timing;
    this.names = buildNames(timing);
  }

  public List<String> names() {
    return names;
  }

  public int features() {
    return names.size();
  }

  /** Column of {@code vital}'s latest hourly mean; its other per-vital features follow it. */
  public static int valueColumn(Vital vital) {
    return vital.ordinal() * PER_VITAL;
  }

  /** First derived column ({@code shock_index}). */
  public static int derivedColumn() {
    return VITALS.length * PER_VITAL;
  }

  /** {@code x[step][feature]} for the last {@code steps} hours of {@code window}, oldest first. */
  public float[][] encode(PatientWindow window, int steps) {
    int hours = window.hours();
    if (steps < 1 || steps > hours) {
      throw new IllegalArgumentException(
          "steps must be 1 to the window's " + hours + " hours, got " + steps);
    }
    int offset = hours - steps;
    float[][] x = new float[steps][features()];
    double[][] means = new double[VITALS.length][hours];
    for (Vital v : VITALS) {
      for (int h = 0; h < hours; h++) {
        HourSummary s = window.summary(h, v);
        means[v.ordinal()][h] = s == null ? Double.NaN : s.mean();
      }
    }
    for (Vital v : VITALS) {
      double[] m = means[v.ordinal()];
      double baseline = baseline(m);
      int[] abnormalSoFar = new int[hours + 1];
      for (int h = 0; h < hours; h++) {
        abnormalSoFar[h + 1] =
            abnormalSoFar[h] + (!Double.isNaN(m[h]) && abnormal(v, m[h]) ? 1 : 0);
      }
      int col = valueColumn(v);
      for (int t = 0; t < steps; t++) {
        int h = offset + t;
        double last = lastUpTo(m, h);
        float[] row = x[t];
        row[col] = (float) last;
        int c = col + 1;
        for (int horizon : HORIZONS) {
          rolling(m, Math.max(0, h - horizon + 1), h, row, c);
          c += STATS.length;
        }
        row[c++] = (float) (last - baseline);
        row[c] = abnormalSoFar[h + 1] - abnormalSoFar[Math.max(0, h - 23)];
      }
    }
    for (int t = 0; t < steps; t++) {
      int h = offset + t;
      double[] now = new double[VITALS.length];
      for (Vital v : VITALS) {
        now[v.ordinal()] = lastUpTo(means[v.ordinal()], h);
      }
      derived(now, x[t], derivedColumn());
    }
    int patient = derivedColumn() + DERIVED;
    float age = window.age() == null ? Float.NaN : window.age().floatValue();
    float sex = FeatureEncoder.sexFeature(window.sex());
    for (int t = 0; t < steps; t++) {
      x[t][patient] = age;
      x[t][patient + 1] = sex;
      x[t][patient + 2] = FeatureEncoder.hoursMonitored(window, offset + t);
    }
    if (timing) {
      timing(window, offset, steps, x, patient + PATIENT);
    }
    return x;
  }

  private static void timing(PatientWindow window, int offset, int steps, float[][] x, int base) {
    for (Vital v : VITALS) {
      int col = base + v.ordinal() * TIMING_PER_VITAL;
      long lastSeen = Long.MIN_VALUE;
      for (int h = 0; h < offset; h++) {
        HourSummary s = window.summary(h, v);
        if (s != null) {
          lastSeen = Math.max(lastSeen, s.lastTimeMillis());
        }
      }
      for (int t = 0; t < steps; t++) {
        int h = offset + t;
        HourSummary s = window.summary(h, v);
        if (s != null) {
          lastSeen = Math.max(lastSeen, s.lastTimeMillis());
        }
        int readings = 0;
        for (int k = Math.max(0, h - 23); k <= h; k++) {
          HourSummary r = window.summary(k, v);
          readings += r == null ? 0 : r.count();
        }
        x[t][col] = s == null ? 0f : 1f;
        x[t][col + 1] =
            lastSeen == Long.MIN_VALUE
                ? FeatureEncoder.MAX_HOURS_SINCE
                : FeatureEncoder.hoursSince(lastSeen, window.slotEnd(h));
        x[t][col + 2] = (float) Math.log1p(readings);
      }
    }
  }

  /** Latest non-missing value at or before {@code h}, NaN when none. */
  private static double lastUpTo(double[] m, int h) {
    for (int k = h; k >= 0; k--) {
      if (!Double.isNaN(m[k])) {
        return m[k];
      }
    }
    return Double.NaN;
  }

  private static double baseline(double[] m) {
    double sum = 0;
    int n = 0;
    for (int k = 0; k < m.length && n < BASELINE_HOURS; k++) {
      if (!Double.isNaN(m[k])) {
        sum += m[k];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Mean, min, max, std, slope, last − first of the hourly means in [from, to] into row[c..]. */
  private static void rolling(double[] m, int from, int to, float[] row, int c) {
    int n = 0;
    double sum = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double first = Double.NaN;
    double last = Double.NaN;
    double st = 0;
    double stt = 0;
    double sty = 0;
    double syy = 0;
    for (int k = from; k <= to; k++) {
      double y = m[k];
      if (Double.isNaN(y)) {
        continue;
      }
      if (n == 0) {
        first = y;
      }
      last = y;
      n++;
      sum += y;
      min = Math.min(min, y);
      max = Math.max(max, y);
      st += k;
      stt += (double) k * k;
      sty += k * y;
      syy += y * y;
    }
    if (n == 0) {
      for (int i = 0; i < STATS.length; i++) {
        row[c + i] = Float.NaN;
      }
      return;
    }
    double mean = sum / n;
    row[c] = (float) mean;
    row[c + 1] = (float) min;
    row[c + 2] = (float) max;
    if (n < 2) {
      row[c + 3] = Float.NaN;
      row[c + 4] = Float.NaN;
    } else {
      row[c + 3] = (float) Math.sqrt(Math.max(0, (syy - n * mean * mean) / (n - 1)));
      double denom = n * stt - st * st;
      row[c + 4] = (float) ((n * sty - st * sum) / denom);
    }
    row[c + 5] = (float) (last - first);
  }

  /**
   * Abnormal range of each vital: where NEWS2 scores it above 0 for the five it scores (heart rate
   * &le; 50 or &gt; 90, respiratory rate &le; 11 or &gt; 20, SpO2 &le; 95 %, temperature &le; 36.0
   * or &gt; 38.0 °C, systolic &le; 110 or &ge; 220 mm Hg); diastolic &lt; 60 or &gt; 90, mean
   * arterial pressure &lt; 65 or &gt; 110 mm Hg.
   */
  static boolean abnormal(Vital v, double value) {
    return switch (v) {
      case HEART_RATE -> News2Bands.pulse(value) > 0;
      case RESPIRATORY_RATE -> News2Bands.respirationRate(value) > 0;
      case OXYGEN_SATURATION -> News2Bands.spo2Scale1(value) > 0;
      case BODY_TEMPERATURE -> News2Bands.temperature(value) > 0;
      case SYSTOLIC_BP -> News2Bands.systolicBp(value) > 0;
      case DIASTOLIC_BP -> value < 60 || value > 90;
      case MEAN_BP -> value < 65 || value > 110;
    };
  }

  private static void derived(double[] now, float[] row, int c) {
    double hr = now[Vital.HEART_RATE.ordinal()];
    double rr = now[Vital.RESPIRATORY_RATE.ordinal()];
    double spo2 = now[Vital.OXYGEN_SATURATION.ordinal()];
    double temp = now[Vital.BODY_TEMPERATURE.ordinal()];
    double sbp = now[Vital.SYSTOLIC_BP.ordinal()];
    double dbp = now[Vital.DIASTOLIC_BP.ordinal()];
    row[c] = (float) (hr / sbp);
    row[c + 1] = (float) (sbp - dbp);
    row[c + 2] = (hr > 90 ? 1 : 0) + (rr > 20 ? 1 : 0) + (temp > 38 || temp < 36 ? 1 : 0);
    row[c + 3] = (rr >= 22 ? 1 : 0) + (sbp <= 100 ? 1 : 0);
    int rrScore = Double.isNaN(rr) ? 0 : News2Bands.respirationRate(rr);
    int spo2Score = Double.isNaN(spo2) ? 0 : News2Bands.spo2Scale1(spo2);
    int sbpScore = Double.isNaN(sbp) ? 0 : News2Bands.systolicBp(sbp);
    int hrScore = Double.isNaN(hr) ? 0 : News2Bands.pulse(hr);
    int tempScore = Double.isNaN(temp) ? 0 : News2Bands.temperature(temp);
    row[c + 4] = rrScore;
    row[c + 5] = spo2Score;
    row[c + 6] = sbpScore;
    row[c + 7] = hrScore;
    row[c + 8] = tempScore;
    row[c + 9] = rrScore + spo2Score + sbpScore + hrScore + tempScore;
  }

  private static List<String> buildNames(boolean timing) {
    List<String> names = new ArrayList<>();
    for (Vital v : VITALS) {
      String code = v.code().toLowerCase(Locale.ROOT);
      names.add(code);
      for (int horizon : HORIZONS) {
        for (String stat : STATS) {
          names.add(code + "_" + stat + "_" + horizon + "h");
        }
      }
      names.add(code + "_from_baseline");
      names.add(code + "_abnormal_hours_24h");
    }
    names.addAll(
        List.of(
            "shock_index",
            "pulse_pressure",
            "sirs_vitals",
            "qsofa_vitals",
            "news2_respiration_rate",
            "news2_spo2",
            "news2_systolic_bp",
            "news2_pulse",
            "news2_temperature",
            "news2_vitals_total"));
    names.addAll(List.of("age", "sex_male", "hours_monitored"));
    if (timing) {
      for (Vital v : VITALS) {
        String code = v.code().toLowerCase(Locale.ROOT);
        names.add(code + "_observed");
        names.add(code + "_hours_since");
        names.add(code + "_readings_24h");
      }
    }
    return Collections.unmodifiableList(names);
  }
}
