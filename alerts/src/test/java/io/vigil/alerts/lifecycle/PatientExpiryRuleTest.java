package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.Core.NOW;
import static io.vigil.alerts.lifecycle.Core.types;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The patient-expiry part of the lifecycle core, at its boundary (30 days by default). */
class PatientExpiryRuleTest {
  private static final long EXPIRY = Duration.ofDays(30).toMillis();

  @Test
  void shouldForgetAPatientOnlyAfterTheExpiry() {
    Core c = new Core();
    c.score(0, 0.9, 7, NOW);
    assertEquals(List.of(), c.apply(new LifecycleInput.ExpiryCheck(), NOW + EXPIRY));
    assertEquals(Step.KEEP_HISTORY, c.last.historyBefore());
    List<AlertEvent> expired = c.apply(new LifecycleInput.ExpiryCheck(), NOW + EXPIRY + 1);
    assertEquals(List.of(AlertEventType.RESOLVED, AlertEventType.RESOLVED), types(expired));
    assertEquals(
        List.of(AlertCause.LSTM_RISK, AlertCause.NEWS2_HIGH),
        expired.stream().map(AlertEvent::getCause).toList(),
        "every open alert, in the store's order");
    assertTrue(
        expired.stream()
            .allMatch(
                e ->
                    e.getNote().startsWith(LifecycleConfig.EXPIRED_NOTE)
                        && e.getConditionCleared() == null));
    assertTrue(c.state.open().isEmpty());
    assertNull(c.state.seen(), "the last-seen clock is removed");
    assertEquals(Long.MAX_VALUE, c.last.historyBefore(), "the whole risk trend is removed");
  }
}
