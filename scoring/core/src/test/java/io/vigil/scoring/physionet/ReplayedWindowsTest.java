package io.vigil.scoring.physionet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.schemas.Vital;
import io.vigil.scoring.features.FeatureEncoder;
import io.vigil.scoring.features.HourSummary;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The readings a replay posts, bucketed one by one in shuffled order as the live topology receives
 * them, give exactly the reader's windows and features, whatever the replay's start.
 */
class ReplayedWindowsTest {
  @Test
  void shouldGiveTheReadersFeaturesFromReplayedReadingsInAnyOrder() throws Exception {
    Instant start = Instant.parse("2026-11-10T07:00:00Z");
    WindowAssembler assembler = new WindowAssembler(12);
    Random random = new Random(5);
    for (PhysioNetStay stay : PhysioNetReader.read(StayWindowsTest.fixture("stays")).stays()) {
      List<PhysioNetStay.Reading> readings = new ArrayList<>(stay.readings(start));
      Collections.shuffle(readings, random);
      Map<Long, HourSummary[]> buckets = new HashMap<>();
      for (PhysioNetStay.Reading r : readings) {
        long t = r.time().toEpochMilli();
        HourSummary[] slot =
            buckets.computeIfAbsent(
                WindowAssembler.bucketStart(t), k -> new HourSummary[Vital.values().length]);
        slot[r.vital().ordinal()] =
            HourSummary.merge(slot[r.vital().ordinal()], HourSummary.of(r.value(), t));
      }
      List<PatientWindow> offline = StayWindows.windows(stay, assembler);
      for (int i = 0; i < stay.rows().size(); i++) {
        Instant end = PhysioNetStay.windowEnd(start, stay.rows().get(i).iculos());
        PatientWindow live = assembler.assemble(end, buckets, stay.age(), stay.sex(), start);
        float[][] a = FeatureEncoder.encode(offline.get(i));
        float[][] b = FeatureEncoder.encode(live);
        assertEquals(a.length, b.length);
        for (int t = 0; t < a.length; t++) {
          assertArrayEquals(a[t], b[t], stay.id() + " row " + i + " hour " + t);
        }
      }
    }
  }
}
