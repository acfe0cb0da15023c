package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCause;
import java.util.Locale;

/**
 * Composite store keys. The separator is the ASCII unit separator, which no patient id contains, so
 * a prefix scan for one patient never matches another whose id merely starts the same.
 */
public final class StoreKeys {
  public static final char SEP = '\u001f';

  private StoreKeys() {}

  public static String alert(String patient, AlertCause cause) {
    return patient + SEP + cause.name();
  }

  public static String patientPrefix(String patient) {
    return patient + SEP;
  }

  /** Zero-padded so that lexicographic order is time order. */
  public static String time(long epochMillis) {
    return String.format(Locale.ROOT, "%019d", Math.max(0, epochMillis));
  }

  public static String deadline(long epochMillis, String alertKey) {
    return time(epochMillis) + SEP + alertKey;
  }

  public static String history(String patient, long windowEndMillis) {
    return patient + SEP + time(windowEndMillis);
  }
}
