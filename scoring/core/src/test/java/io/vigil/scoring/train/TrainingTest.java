package io.vigil.scoring.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.scoring.features.FeatureEncoder;
import io.vigil.scoring.features.FeatureSet;
import io.vigil.scoring.model.ModelConfig;
import io.vigil.scoring.model.NetworkFactory;
import io.vigil.scoring.model.Normaliser;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;

class TrainingTest {
  static List<PhysioNetStay> fixture() throws Exception {
    try {
      return PhysioNetReader.read(
              Path.of(TrainingTest.class.getResource("/physionet2019/stays").toURI()))
          .stays();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldLowerTheLossInAFewIterationsOnRealStays() throws Exception {
    List<PhysioNetStay> stays = fixture();
    Normaliser.Fitter fitter = new Normaliser.Fitter(FeatureSet.HOURLY);
    EncodedSet.forEachRaw(stays, FeatureSet.HOURLY, 12, 12, fitter::add);
    EncodedSet set = EncodedSet.encode(stays, FeatureSet.HOURLY, 12, 12, fitter.fit());
    assertTrue(set.n > 500 && IntStream.of(set.labels).sum() > 10, "fixture has both classes");
    // Every positive hour and every fourth negative one keeps the test quick.
    int[] rows = IntStream.range(0, set.n).filter(i -> set.labels[i] == 1 || i % 4 == 0).toArray();
    MultiLayerNetwork net =
        NetworkFactory.build(ModelConfig.defaults(FeatureEncoder.FEATURES, 12, 42));
    DataSet all =
        new DataSet(
            WindowBatches.features(set, rows, 0, rows.length),
            WindowBatches.labels(set, rows, 0, rows.length));
    double before = net.score(all, false);
    for (int i = 0; i < 10; i++) {
      net.fit(all);
    }
    double after = net.score(all, false);
    assertTrue(after < 0.9 * before, "loss " + before + " -> " + after);
  }

  @Test
  void shouldSplitByPatientReproduciblyAndStratified() throws Exception {
    List<PhysioNetStay> stays = fixture();
    var a = Split.of(stays, 7);
    assertEquals(a, Split.of(stays, 7));
    assertEquals(stays.size(), a.size());
    long septicTrain =
        stays.stream().filter(s -> s.septic() && a.get(s.id()) == Split.Part.TRAIN).count();
    assertEquals(1, septicTrain, "3 septic stays: one each for train, validation and test");
    assertEquals(
        1,
        stays.stream().filter(s -> s.septic() && a.get(s.id()) == Split.Part.VALIDATION).count());
  }
}
