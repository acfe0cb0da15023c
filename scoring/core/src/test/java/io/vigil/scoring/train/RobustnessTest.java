package io.vigil.scoring.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Thinning stays: the half-density stress test's and the training augmentation's. */
class RobustnessTest {

  private static List<PhysioNetStay> fixtureStays() throws Exception {
    return PhysioNetReader.read(
            Path.of(RobustnessTest.class.getResource("/physionet2019/stays").toURI()))
        .stays();
  }

  @Test
  void shouldThinTheSeededShareOfStaysAndKeepTheOthersWhole() throws Exception {
    List<PhysioNetStay> stays = fixtureStays();
    assertSame(stays, Robustness.thinShare(stays, 0, 7), "no share: the stays as they are");

    List<PhysioNetStay> all = Robustness.thinShare(stays, 1, 7);
    assertEquals(stays.size(), all.size());
    for (int i = 0; i < stays.size(); i++) {
      PhysioNetStay before = stays.get(i);
      PhysioNetStay after = all.get(i);
      assertEquals(before.id(), after.id(), "same order");
      assertEquals(before.rows().size(), after.rows().size(), "every hour kept");
      double ratio = Robustness.readingsPerHour(after) / Robustness.readingsPerHour(before);
      assertTrue(ratio > 0.3 && ratio < 0.7, before.id() + " kept " + ratio);
      for (int h = 0; h < before.rows().size(); h++) {
        assertEquals(before.rows().get(h).sepsisLabel(), after.rows().get(h).sepsisLabel());
        double[] v = after.rows().get(h).vitals();
        double[] w = before.rows().get(h).vitals();
        for (int k = 0; k < v.length; k++) {
          assertTrue(Double.isNaN(v[k]) || v[k] == w[k], "a kept value is unchanged");
        }
      }
    }

    List<PhysioNetStay> half = Robustness.thinShare(stays, 0.5, 7);
    long thinned = 0;
    for (int i = 0; i < stays.size(); i++) {
      if (half.get(i) != stays.get(i)) {
        thinned++;
      }
    }
    assertTrue(thinned > 0 && thinned < stays.size(), thinned + " of " + stays.size());
    List<PhysioNetStay> again = Robustness.thinShare(stays, 0.5, 7);
    for (int i = 0; i < stays.size(); i++) {
      assertEquals(
          Robustness.readingsPerHour(half.get(i)),
          Robustness.readingsPerHour(again.get(i)),
          "seeded: the same stays thinned the same way");
    }
  }
}
