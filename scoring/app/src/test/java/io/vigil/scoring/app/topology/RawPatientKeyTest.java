package io.vigil.scoring.app.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectionReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The key check both processors of raw patient records make first. */
class RawPatientKeyTest {
  @Test
  void shouldPassAKeyThatKeepsTheIdentifierRules() {
    PatientKey anna = new PatientKey("ward-a", "anna");
    RawPatientKey read = RawPatientKey.read(Topics.PATIENT_KEY.encode(anna));
    assertEquals(anna, read.key());
    assertNull(read.problem());
  }

  @Test
  void shouldRejectBytesThatAreNoPatientKeyAsUndecodable() {
    RawPatientKey read = RawPatientKey.read("anna".getBytes(StandardCharsets.UTF_8));
    assertNull(read.key());
    assertEquals(RejectionReason.UNDECODABLE, read.problem().reason());
    assertTrue(read.problem().detail().startsWith("key: "), read.problem().detail());
  }

  @Test
  void shouldRejectAMissingKey() {
    RawPatientKey read = RawPatientKey.read(null);
    assertNull(read.key());
    assertEquals(RejectionReason.INVALID_VALUE, read.problem().reason());
    assertEquals("record has no patient key", read.problem().detail());
  }

  @Test
  void shouldRejectAKeyWhoseTenantBreaksTheRulesNamingTheField() {
    RawPatientKey read =
        RawPatientKey.read(Topics.PATIENT_KEY.encode(new PatientKey("ward/a", "anna")));
    assertNull(read.key());
    assertEquals(RejectionReason.INVALID_VALUE, read.problem().reason());
    assertTrue(read.problem().detail().startsWith("key: "), read.problem().detail());
    assertTrue(read.problem().detail().contains("tenant"), read.problem().detail());
  }
}
