package io.vigil.alerts.lifecycle;

import static io.vigil.alerts.lifecycle.LifecycleDriver.patient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.alerts.Scores;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The risk history behind the patient view's trend keeps 72 h before the patient's newest window
 * (bounded per patient, whatever the stay's length), while scores are still judged only within 24 h
 * of the newest: keeping more for display changes nothing about which late windows can raise.
 */
class RiskHistoryBoundsTest {
  private static final Duration HOUR = Duration.ofHours(1);

  private static LifecycleDriver driver() throws Exception {
    return new LifecycleDriver(
        LifecycleConfig.defaults(PolicyBook.of(TeamPolicy.defaults()))
            .withFallbackTeam("ward-1")
            .withTimers(Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofDays(1)));
  }

  private static List<Instant> windows(KeyValueStore<String, RiskScore> store, String patient) {
    List<Instant> out = new ArrayList<>();
    try (var it =
        store.range(StoreKeys.history(patient, 0), StoreKeys.history(patient, Long.MAX_VALUE))) {
      it.forEachRemaining(kv -> out.add(kv.value.getWindowEnd()));
    }
    return out;
  }

  @Test
  void shouldKeepSeventyTwoHoursOfTrendButJudgeOnlyTheLastTwentyFour() throws Exception {
    try (LifecycleDriver d = driver()) {
      PatientKey p = patient("p-long-stay");
      String key = PatientKeys.format(p);
      Instant start = LifecycleDriver.WALL.minus(Duration.ofHours(100));
      for (int h = 0; h <= 100; h++) {
        d.score(p, Scores.score(start.plus(HOUR.multipliedBy(h)), 0.1, 1));
      }
      Instant newest = start.plus(Duration.ofHours(100));
      KeyValueStore<String, RiskScore> history =
          d.driver.getKeyValueStore(AlertsTopology.RISK_HISTORY_STORE);
      List<Instant> kept = windows(history, key);
      assertEquals(73, kept.size(), "hourly windows from 72 h before the newest to the newest");
      assertEquals(newest.minus(Duration.ofHours(72)), kept.get(0), "exactly 72 h kept");
      assertEquals(newest, kept.get(kept.size() - 1));
      // The bound in bytes: the stored (Avro) scores of the 73 windows, key included.
      long bytes = 0;
      try (var it =
          history.range(StoreKeys.history(key, 0), StoreKeys.history(key, Long.MAX_VALUE))) {
        while (it.hasNext()) {
          var kv = it.next();
          bytes +=
              kv.key.length()
                  + AvroSerde.of(RiskScore.class).serializer().serialize("", kv.value).length;
        }
      }
      System.out.printf("risk-history per patient: %d windows, %d bytes%n", kept.size(), bytes);
      assertTrue(bytes < 73 * 1024, "at most 1 KiB per window: " + bytes);
      d.drain();

      // A late revision of the window 25 h before the newest: too old to judge, nothing stored.
      Instant tooOld = newest.minus(Duration.ofHours(25));
      RiskScore before = history.get(StoreKeys.history(key, tooOld.toEpochMilli()));
      assertNotNull(before, "the window itself is still on the trend");
      d.score(p, Scores.late(Scores.score(tooOld, 0.1, 8), 1, 2, before));
      assertEquals(List.of(), d.drain(), "a window 25 h old raises nothing");
      assertEquals(
          0, history.get(StoreKeys.history(key, tooOld.toEpochMilli())).getRevision(), "kept");

      // The window exactly 24 h before the newest is still judged: a late NEWS2 8 raises.
      Instant edge = newest.minus(Duration.ofHours(24));
      RiskScore edgeBefore = history.get(StoreKeys.history(key, edge.toEpochMilli()));
      d.score(p, Scores.late(Scores.score(edge, 0.1, 8), 1, 2, edgeBefore));
      List<AlertEvent> raised = d.drain();
      assertTrue(
          raised.stream().anyMatch(e -> e.getType() == AlertEventType.RAISED), raised.toString());
      assertEquals(1, history.get(StoreKeys.history(key, edge.toEpochMilli())).getRevision());

      // One more hour: the oldest window leaves, the trend stays at 73 windows.
      d.score(p, Scores.score(newest.plus(HOUR), 0.1, 1));
      List<Instant> after = windows(history, key);
      assertEquals(73, after.size());
      assertNull(history.get(StoreKeys.history(key, kept.get(0).toEpochMilli())));
    }
  }
}
