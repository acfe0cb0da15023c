package io.vigil.schemas;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.vitals.VitalObservation;
import java.util.Locale;

/**
 * The one rule set for identifiers, applied at every intake path (ingest's JSON and FHIR routes,
 * patient context, API keys, records produced straight to Kafka) so that no identifier a later
 * stage cannot handle gets past the first one.
 *
 * <table>
 *   <caption>Rules</caption>
 *   <tr><th>identifier</th><th>length</th><th>characters</th></tr>
 *   <tr><td>tenant, source id</td><td>1-64</td><td>ASCII letters, digits, {@code . _ -}; the
 *       first a letter or digit</td></tr>
 *   <tr><td>patient id</td><td>1-128</td><td>ASCII letters, digits, {@code . _ - :}; the first a
 *       letter or digit</td></tr>
 *   <tr><td>reading id, device id</td><td>1-128</td><td>printable ASCII without space ({@code !}
 *       to {@code ~})</td></tr>
 * </table>
 *
 * <p>Tenants, sources and patients appear in URL paths, in the {@code tenant/patientId} text form
 * of a patient key and in file names, hence the narrow alphabet (no {@code /}, no {@code ..}, no
 * white space, nothing a terminal or log viewer interprets). Reading and device ids are only
 * compared and hashed, so they may carry the punctuation of URNs and UUIDs. Every limit is far
 * below what a state-store key or a Kafka record can hold.
 *
 * <p>Each check returns {@code null} for a valid identifier and otherwise one sentence naming the
 * field, what is wrong and what is allowed, fit for a rejection reason or a problem detail. It
 * never echoes more than the first 32 characters of the value.
 */
public final class Identifiers {
  /** Longest tenant and source id, in characters. */
  public static final int MAX_NAME_LENGTH = 64;

  /** Longest patient, reading and device id, in characters. */
  public static final int MAX_ID_LENGTH = 128;

  private static final int ECHO = 32;

  private Identifiers() {}

  /** The kinds of identifier and their rules. */
  public enum Kind {
    TENANT("tenant", MAX_NAME_LENGTH, Alphabet.NAME),
    SOURCE_ID("sourceId", MAX_NAME_LENGTH, Alphabet.NAME),
    PATIENT_ID("patientId", MAX_ID_LENGTH, Alphabet.PATIENT),
    READING_ID("readingId", MAX_ID_LENGTH, Alphabet.VISIBLE),
    DEVICE_ID("deviceId", MAX_ID_LENGTH, Alphabet.VISIBLE);

    private final String field;
    private final int maxLength;
    private final Alphabet alphabet;

    Kind(String field, int maxLength, Alphabet alphabet) {
      this.field = field;
      this.maxLength = maxLength;
      this.alphabet = alphabet;
    }

    /** The field name used in problem sentences, e.g. {@code patientId}. */
    public String field() {
      return field;
    }

    /** Longest allowed value, in characters (all allowed characters are one UTF-8 byte). */
    public int maxLength() {
      return maxLength;
    }

    /** The allowed characters, in words. */
    public String allowed() {
      return alphabet.description;
    }
  }

  /** A broken identifier: which kind and the sentence saying why. */
  public record Violation(Kind kind, String detail) {
    public String field() {
      return kind.field();
    }
  }

  /**
   * Why {@code value} is not a valid identifier of {@code kind}, or {@code null} when it is. A
   * {@code null} value is reported as empty.
   */
  public static String problem(Kind kind, String value) {
    return problem(kind, value, kind.field);
  }

  /**
   * {@link #problem(Kind, String)} with the sentence naming {@code field} (the name the caller's
   * API uses, e.g. {@code id} or {@code Observation.subject}) instead of the kind's own.
   */
  public static String problem(Kind kind, String value, String field) {
    if (value == null || value.isEmpty()) {
      return field + " is empty";
    }
    if (value.length() > kind.maxLength) {
      return field
          + " '"
          + echo(value)
          + "...' is "
          + value.length()
          + " characters long; at most "
          + kind.maxLength
          + " are allowed";
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (!kind.alphabet.allows(c, i == 0)) {
        return field
            + (i == 0 && kind.alphabet.allows(c, false) ? " starts with " : " contains ")
            + describe(c)
            + " at position "
            + (i + 1)
            + "; allowed: "
            + kind.alphabet.description;
      }
    }
    return null;
  }

  /** {@link #problem} for a tenant. */
  public static String tenantProblem(String tenant) {
    return problem(Kind.TENANT, tenant);
  }

  /** {@link #problem} for a source id. */
  public static String sourceIdProblem(String sourceId) {
    return problem(Kind.SOURCE_ID, sourceId);
  }

  /** {@link #problem} for a patient id. */
  public static String patientIdProblem(String patientId) {
    return problem(Kind.PATIENT_ID, patientId);
  }

  /** {@link #problem} for a reading id. */
  public static String readingIdProblem(String readingId) {
    return problem(Kind.READING_ID, readingId);
  }

  /** {@link #problem} for a device id; {@code null} (no device) is valid. */
  public static String deviceIdProblem(String deviceId) {
    return deviceId == null ? null : problem(Kind.DEVICE_ID, deviceId);
  }

  /**
   * The first broken identifier of a record keyed by {@code key}: tenant, patient id and, when
   * {@code observation} is not null, its source, reading and device ids; {@code null} when all are
   * valid. A null key is reported as an empty tenant.
   */
  public static Violation check(PatientKey key, VitalObservation observation) {
    Violation v =
        key == null
            ? new Violation(Kind.TENANT, problem(Kind.TENANT, null))
            : first(Kind.TENANT, key.getTenant(), Kind.PATIENT_ID, key.getPatientId());
    if (v != null || observation == null) {
      return v;
    }
    v =
        first(
            Kind.SOURCE_ID, observation.getSourceId(), Kind.READING_ID, observation.getReadingId());
    if (v != null) {
      return v;
    }
    String device = deviceIdProblem(observation.getDeviceId());
    return device == null ? null : new Violation(Kind.DEVICE_ID, device);
  }

  /**
   * Returns {@code value} when it is a valid identifier of {@code kind}.
   *
   * @throws IllegalArgumentException with the problem sentence otherwise
   */
  public static String require(Kind kind, String value) {
    String problem = problem(kind, value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return value;
  }

  private static Violation first(Kind a, String va, Kind b, String vb) {
    String p = problem(a, va);
    if (p != null) {
      return new Violation(a, p);
    }
    p = problem(b, vb);
    return p == null ? null : new Violation(b, p);
  }

  /** The value's first characters, anything but printable ASCII shown as '?'. */
  private static String echo(String value) {
    StringBuilder out = new StringBuilder(ECHO);
    for (int i = 0; i < ECHO && i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(c >= ' ' && c <= '~' && c != '\'' ? c : '?');
    }
    return out.toString();
  }

  private static String describe(char c) {
    String code = String.format(Locale.ROOT, "U+%04X", (int) c);
    if (Character.isISOControl(c)) {
      return "a control character (" + code + ")";
    }
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return "white space (" + code + ")";
    }
    if (Character.isSurrogate(c) || c > '~') {
      return "a non-ASCII character (" + code + ")";
    }
    return "'" + c + "' (" + code + ")";
  }

  private enum Alphabet {
    NAME("ASCII letters, digits, '.', '_', '-', the first a letter or digit", "._-"),
    PATIENT("ASCII letters, digits, '.', '_', '-', ':', the first a letter or digit", "._-:"),
    VISIBLE("printable ASCII characters other than space ('!' to '~')", null);

    final String description;
    final String punctuation;

    Alphabet(String description, String punctuation) {
      this.description = description;
      this.punctuation = punctuation;
    }

    boolean allows(char c, boolean first) {
      if (punctuation == null) {
        return c >= '!' && c <= '~';
      }
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      return alnum || (!first && punctuation.indexOf(c) >= 0);
    }
  }
}
