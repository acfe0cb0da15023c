package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Identifiers.Kind;
import io.vigil.schemas.Identifiers.Violation;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.testing.SampleRecords;
import io.vigil.schemas.vitals.VitalObservation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IdentifiersTest {

  private static void assertRejected(Kind kind, String value, String... detailParts) {
    String problem = Identifiers.problem(kind, value);
    assertNotNull(problem, kind + " accepted " + value);
    assertTrue(problem.startsWith(kind.field() + " "), problem);
    for (String part : detailParts) {
      assertTrue(problem.contains(part), problem + " lacks " + part);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldAcceptTheLongestAllowedIdAndRejectOneCharacterMore(Kind kind) {
    String longest = "a".repeat(kind.maxLength());
    assertNull(Identifiers.problem(kind, longest));
    String tooLong = longest + "b";
    assertRejected(
        kind,
        tooLong,
        (kind.maxLength() + 1) + " characters long",
        "at most " + kind.maxLength(),
        "'" + "a".repeat(32) + "...'");
    assertTrue(
        Identifiers.problem(kind, "x".repeat(100_000)).length() < 200,
        "a huge value is never echoed whole");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldRejectEmptyAndMissingIdsAndAcceptOneCharacter(Kind kind) {
    assertRejected(kind, "", "is empty");
    assertRejected(kind, null, "is empty");
    assertNull(Identifiers.problem(kind, "7"));
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void shouldRejectControlCharactersWhiteSpaceAndNonAscii(Kind kind) {
    assertRejected(kind, "p\u0000", "control character (U+0000) at position 2");
    assertRejected(kind, "p\n1", "control character (U+000A)");
    assertRejected(kind, "p\u007f", "control character (U+007F)");
    assertRejected(kind, "p\u0085", "control character (U+0085)");
    assertRejected(kind, "p 1", "white space (U+0020)");
    assertRejected(kind, "p\t1", "(U+0009)");
    assertRejected(kind, "p\u00a01", "(U+00A0)");
    assertRejected(kind, "Müller", "non-ASCII character (U+00FC) at position 2");
    assertRejected(kind, "p\uD83D\uDE00", "non-ASCII character (U+D83D)");
  }

  @Test
  void shouldAllowOnlyLettersDigitsAndDotUnderscoreHyphenInTenantsAndSources() {
    for (Kind kind : new Kind[] {Kind.TENANT, Kind.SOURCE_ID}) {
      assertNull(Identifiers.problem(kind, "Clinic_7.north-2"));
      assertRejected(kind, "a/b", "'/' (U+002F) at position 2");
      assertRejected(kind, "a:b", "':'");
      assertRejected(kind, "a@b", "'@'");
      assertRejected(kind, "a\\b", "'\\'");
      assertRejected(kind, "a%2Fb", "'%'");
      assertRejected(kind, "..", "starts with '.'");
      assertRejected(kind, "-x", "starts with '-'");
      assertRejected(kind, "_x", "starts with '_'");
      assertRejected(kind, "x#", "allowed: ASCII letters, digits, '.', '_', '-'");
    }
  }

  @Test
  void shouldAllowAColonInPatientIdsButNoSlashOrOtherPunctuation() {
    assertNull(Identifiers.patientIdProblem("mrn:000123-4.b_c"));
    assertNull(Identifiers.patientIdProblem("sim-0000"));
    assertRejected(Kind.PATIENT_ID, "ward/1", "'/'");
    assertRejected(Kind.PATIENT_ID, "p?x=1", "'?'");
    assertRejected(Kind.PATIENT_ID, "p#1", "'#'");
    assertRejected(Kind.PATIENT_ID, "p@x", "'@'");
    assertRejected(Kind.PATIENT_ID, "p'1", "''' (U+0027)");
    assertRejected(Kind.PATIENT_ID, ":p", "starts with ':'");
    assertRejected(Kind.PATIENT_ID, ".", "starts with '.'");
  }

  @Test
  void shouldAllowEveryPrintableAsciiCharacterInReadingAndDeviceIds() {
    StringBuilder visible = new StringBuilder();
    for (char c = '!'; c <= '~'; c++) {
      visible.append(c);
    }
    assertNull(Identifiers.readingIdProblem(visible.toString()));
    assertNull(Identifiers.deviceIdProblem(visible.toString()));
    assertNull(Identifiers.readingIdProblem("urn:uuid:0b7a/obs#1"));
    assertNull(Identifiers.deviceIdProblem(null), "no device is valid");
    assertRejected(Kind.DEVICE_ID, "", "is empty");
  }

  @Test
  void shouldFindTheFirstBrokenIdentifierOfAKeyedObservation() {
    VitalObservation good = SampleRecords.observation("r1", Vital.HEART_RATE, 70, SampleRecords.T0);
    PatientKey key = new PatientKey("clinic", "p-1");
    assertNull(Identifiers.check(key, good));
    assertNull(Identifiers.check(key, null));

    Violation patient = Identifiers.check(new PatientKey("clinic", "p".repeat(129)), good);
    assertEquals(Kind.PATIENT_ID, patient.kind());
    assertEquals("patientId", patient.field());
    assertTrue(patient.detail().contains("129 characters long"), patient.detail());
    assertEquals(Kind.TENANT, Identifiers.check(new PatientKey("a/b", "p"), good).kind());
    assertEquals(Kind.TENANT, Identifiers.check(null, good).kind());

    VitalObservation badSource = VitalObservation.newBuilder(good).setSourceId("").build();
    assertEquals(Kind.SOURCE_ID, Identifiers.check(key, badSource).kind());
    VitalObservation badReading = VitalObservation.newBuilder(good).setReadingId("r\u0000").build();
    assertEquals(Kind.READING_ID, Identifiers.check(key, badReading).kind());
    VitalObservation badDevice =
        VitalObservation.newBuilder(good).setDeviceId("d".repeat(129)).build();
    assertEquals(Kind.DEVICE_ID, Identifiers.check(key, badDevice).kind());
    VitalObservation noDevice = VitalObservation.newBuilder(good).setDeviceId(null).build();
    assertNull(Identifiers.check(key, noDevice));
  }

  @Test
  void shouldThrowWithTheProblemWhenRequired() {
    assertEquals("clinic", Identifiers.require(Kind.TENANT, "clinic"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Identifiers.require(Kind.TENANT, "a b"));
    assertTrue(e.getMessage().startsWith("tenant contains white space"), e.getMessage());
  }
}
