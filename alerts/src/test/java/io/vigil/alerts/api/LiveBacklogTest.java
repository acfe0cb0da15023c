package io.vigil.alerts.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order in which a slow nurse's stream is sent what waited: alerts before ward rows, each kind
 * in the order things first changed, one event per alert or patient in its newest state.
 */
class LiveBacklogTest {
  private static List<String> drain(LiveBacklog<String> backlog) {
    List<String> sent = new ArrayList<>();
    for (String e = backlog.poll(); e != null; e = backlog.poll()) {
      sent.add(e);
    }
    return sent;
  }

  @Test
  void shouldSendAnAlertBeforeEveryWardRowQueuedAheadOfIt() {
    LiveBacklog<String> backlog = new LiveBacklog<>("alert", 100_000);
    for (int i = 0; i < 10_000; i++) {
      backlog.offer(new LiveBacklog.Key("patient", "p" + i), "row p" + i);
    }
    backlog.offer(new LiveBacklog.Key("alert", "a1"), "alert a1 RAISED");
    assertEquals("alert a1 RAISED", backlog.poll(), "not 10,000 rows later");
    assertEquals("row p0", backlog.poll());
  }

  @Test
  void shouldKeepEachKindsOrderAndReplaceAnUnsentEventInItsPlace() {
    LiveBacklog<String> backlog = new LiveBacklog<>("alert", 100);
    backlog.offer(new LiveBacklog.Key("patient", "p1"), "p1 v1");
    backlog.offer(new LiveBacklog.Key("alert", "a1"), "a1 RAISED");
    backlog.offer(new LiveBacklog.Key("patient", "p2"), "p2 v1");
    backlog.offer(new LiveBacklog.Key("alert", "a2"), "a2 RAISED");
    assertEquals(
        LiveBacklog.Offer.CONFLATED,
        backlog.offer(new LiveBacklog.Key("alert", "a1"), "a1 NOTIFIED"));
    assertEquals(
        LiveBacklog.Offer.CONFLATED, backlog.offer(new LiveBacklog.Key("patient", "p1"), "p1 v2"));
    assertEquals(4, backlog.size());
    assertEquals(List.of("a1 NOTIFIED", "a2 RAISED", "p1 v2", "p2 v1"), drain(backlog));
    assertNull(backlog.poll());
  }

  @Test
  void shouldRefuseANewKeyOfEitherKindWhenFullButStillReplaceWaitingOnes() {
    LiveBacklog<String> backlog = new LiveBacklog<>("alert", 2);
    backlog.offer(new LiveBacklog.Key("patient", "p1"), "p1");
    backlog.offer(new LiveBacklog.Key("alert", "a1"), "a1");
    assertEquals(LiveBacklog.Offer.FULL, backlog.offer(new LiveBacklog.Key("alert", "a2"), "a2"));
    assertEquals(LiveBacklog.Offer.FULL, backlog.offer(new LiveBacklog.Key("patient", "p2"), "p2"));
    assertEquals(
        LiveBacklog.Offer.CONFLATED, backlog.offer(new LiveBacklog.Key("alert", "a1"), "a1 v2"));
    backlog.clear();
    assertEquals(0, backlog.size());
  }
}
