package io.vigil.scoring.news2;

import io.vigil.schemas.patients.Consciousness;

/**
 * The sub-score of each NEWS2 parameter, exactly as banded on RCP 2017 chart 1. Every method takes
 * the raw measurement, rounds it with {@link News2Rounding} and returns 0 to 3 points.
 */
public final class News2Bands {
  private News2Bands() {}

  /** Respiration rate (/min): ≤8 → 3, 9–11 → 1, 12–20 → 0, 21–24 → 2, ≥25 → 3. */
  public static int respirationRate(double perMinute) {
    int rr = News2Rounding.wholeNumber(perMinute);
    if (rr <= 8) {
      return 3;
    }
    if (rr <= 11) {
      return 1;
    }
    if (rr <= 20) {
      return 0;
    }
    if (rr <= 24) {
      return 2;
    }
    return 3;
  }

  /** SpO2 scale 1 (%): ≤91 → 3, 92–93 → 2, 94–95 → 1, ≥96 → 0. Oxygen does not change it. */
  public static int spo2Scale1(double percent) {
    int spo2 = News2Rounding.wholeNumber(percent);
    if (spo2 <= 91) {
      return 3;
    }
    if (spo2 <= 93) {
      return 2;
    }
    if (spo2 <= 95) {
      return 1;
    }
    return 0;
  }

  /**
   * SpO2 scale 2 (%), for prescribed hypercapnic targets of 88–92 %: ≤83 → 3, 84–85 → 2, 86–87 → 1,
   * 88–92 → 0; at 93 or more, 0 on air, and on oxygen 93–94 → 1, 95–96 → 2, ≥97 → 3
   * (over-oxygenation is the danger this scale exists to catch).
   */
  public static int spo2Scale2(double percent, boolean onOxygen) {
    int spo2 = News2Rounding.wholeNumber(percent);
    if (spo2 <= 83) {
      return 3;
    }
    if (spo2 <= 85) {
      return 2;
    }
    if (spo2 <= 87) {
      return 1;
    }
    if (spo2 <= 92 || !onOxygen) {
      return 0;
    }
    if (spo2 <= 94) {
      return 1;
    }
    if (spo2 <= 96) {
      return 2;
    }
    return 3;
  }

  /** Air or oxygen: supplemental oxygen → 2, air → 0. */
  public static int airOrOxygen(boolean onOxygen) {
    return onOxygen ? 2 : 0;
  }

  /** Systolic BP (mmHg): ≤90 → 3, 91–100 → 2, 101–110 → 1, 111–219 → 0, ≥220 → 3. */
  public static int systolicBp(double mmHg) {
    int sbp = News2Rounding.wholeNumber(mmHg);
    if (sbp <= 90) {
      return 3;
    }
    if (sbp <= 100) {
      return 2;
    }
    if (sbp <= 110) {
      return 1;
    }
    if (sbp <= 219) {
      return 0;
    }
    return 3;
  }

  /** Pulse (/min): ≤40 → 3, 41–50 → 1, 51–90 → 0, 91–110 → 1, 111–130 → 2, ≥131 → 3. */
  public static int pulse(double perMinute) {
    int pulse = News2Rounding.wholeNumber(perMinute);
    if (pulse <= 40) {
      return 3;
    }
    if (pulse <= 50) {
      return 1;
    }
    if (pulse <= 90) {
      return 0;
    }
    if (pulse <= 110) {
      return 1;
    }
    if (pulse <= 130) {
      return 2;
    }
    return 3;
  }

  /** Consciousness (ACVPU): alert → 0; new confusion, voice, pain or unresponsive → 3. */
  public static int consciousness(Consciousness level) {
    if (level == null) {
      throw new IllegalArgumentException("consciousness level is required");
    }
    return level == Consciousness.ALERT ? 0 : 3;
  }

  /**
   * Temperature (°C, to 0.1): ≤35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥39.1 → 2.
   */
  public static int temperature(double celsius) {
    int tenths = News2Rounding.tenths(celsius);
    if (tenths <= 350) {
      return 3;
    }
    if (tenths <= 360) {
      return 1;
    }
    if (tenths <= 380) {
      return 0;
    }
    if (tenths <= 390) {
      return 1;
    }
    return 2;
  }
}
