package io.vigil.scoring.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.scoring.model.Json;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.physionet.StayWindows;
import io.vigil.tools.CommandRun;
import io.vigil.tools.physionet.PhysioNetReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.L2Regularization;

/**
 * {@link Train} end to end on the fixture stays: the saved bundle is what its options asked for.
 */
class TrainTest {

  @Test
  void shouldTrainASmallBundleThatRecordsAndAppliesEveryOption(@TempDir Path tmp) throws Exception {
    Path data = Path.of(TrainTest.class.getResource("/physionet2019/stays").toURI());
    Path out = tmp.resolve("bundle");
    String[] argv = {
      "--data",
      data.toString(),
      "--out",
      out.toString(),
      "--seed",
      "11",
      "--units",
      "8",
      "--epochs",
      "3",
      "--batch",
      "64",
      "--negative-fraction",
      "0.5",
      "--positive-weight",
      "3",
      "--patience",
      "1",
      "--max-train-minutes",
      "5",
      "--bootstrap",
      "10",
      "--learning-rate",
      "0.005",
      "--l2",
      "0.0003",
      "--dropout",
      "0.35",
      "--thin-fraction",
      "0.5"
    };
    CommandRun run = CommandRun.of(new Train(), argv);
    assertEquals(0, run.status(), run.err());

    ModelBundle bundle = ModelBundle.load(out);
    var config = bundle.metadata().config();
    assertEquals(0.005, config.learningRate());
    assertEquals(0.0003, config.l2());
    assertEquals(0.35, config.dropout());
    assertEquals(3.0, config.positiveWeight());
    assertEquals(8, config.lstmUnits()[0]);
    assertEquals(11, bundle.metadata().seed());

    // The restored network was built with those settings, not with defaults.
    MultiLayerNetwork net = bundle.network();
    LSTM lstm =
        (LSTM)
            ((LastTimeStep) net.getLayerWiseConfigurations().getConf(0).getLayer()).getUnderlying();
    OutputLayer output = (OutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer();
    for (BaseLayer layer : new BaseLayer[] {lstm, output}) {
      assertEquals(0.005, ((Adam) layer.getIUpdater()).getLearningRate(), 1e-12);
      assertTrue(
          layer.getRegularization().stream()
              .anyMatch(
                  r ->
                      r instanceof L2Regularization l2
                          && Math.abs(l2.getL2().valueAt(0, 0) - 3e-4) < 1e-12),
          layer.getLayerName() + " " + layer.getRegularization());
    }
    assertEquals(0.65, ((Dropout) output.getIDropout()).getP(), 1e-12, "retain probability");
    assertEquals(8, lstm.getNOut());

    JsonNode meta = Json.MAPPER.readTree(out.resolve("metadata.json").toFile());
    JsonNode recorded = meta.at("/metrics/trainingOptions");
    for (int i = 0; i < argv.length; i += 2) {
      String name = argv[i].substring(2);
      assertTrue(recorded.has(name), "bundle records --" + name + ": " + recorded);
      if (!name.equals("data") && !name.equals("out")) {
        assertEquals(Double.parseDouble(argv[i + 1]), recorded.get(name).asDouble(), 1e-12, name);
      }
    }
    JsonNode byEpoch = meta.at("/metrics/validationAurocByEpoch");
    assertTrue(byEpoch.size() >= 1 && byEpoch.size() <= 3, "epochs scored: " + byEpoch);
    int best = meta.at("/metrics/bestEpoch").asInt();
    byEpoch.forEach(
        a -> assertTrue(a.asDouble() <= byEpoch.get("epoch " + best).asDouble(), "best kept"));
    assertTrue(meta.at("/metrics/test/lstm/auroc/value").isNumber(), "test part evaluated");
    assertTrue(Files.size(out.resolve("evaluation-test.json")) > 100);
    assertTrue(Files.isRegularFile(out.resolve(LogisticBaseline.FILE)));

    // The bundle scores real windows with calibrated probabilities.
    var stay = PhysioNetReader.read(data).stays().get(0);
    var windows = StayWindows.windows(stay, new WindowAssembler(bundle.windowHours()));
    double[] risk = bundle.scorer().score(windows);
    // Platt scaling fitted on two validation stays can be steep enough to reach 0 in a double.
    assertTrue(
        risk.length == windows.size() && Arrays.stream(risk).allMatch(p -> p >= 0 && p <= 1),
        Arrays.toString(risk));
    double[] raw = bundle.scorer().rawScore(windows);
    assertTrue(Arrays.stream(raw).distinct().count() > 1, "the network tells hours apart");
  }

  @Test
  void shouldKeepTheNetworkTrainedSoFarWhenTheTimeBudgetEndsBeforeTheFirstValidation(
      @TempDir Path tmp) throws Exception {
    Path data = Path.of(TrainTest.class.getResource("/physionet2019/stays").toURI());
    Path out = tmp.resolve("bundle");
    CommandRun run =
        CommandRun.of(
            new Train(),
            "--data",
            data.toString(),
            "--out",
            out.toString(),
            "--units",
            "4",
            "--batch",
            "16",
            "--max-train-minutes",
            "0.00001",
            "--bootstrap",
            "0",
            "--tree-rounds",
            "5");
    assertEquals(0, run.status(), run.err());
    JsonNode meta = Json.MAPPER.readTree(out.resolve("metadata.json").toFile());
    assertEquals("IterationTerminationCondition", meta.at("/metrics/terminationReason").asText());
    assertEquals(0, meta.at("/metrics/validationAurocByEpoch").size(), "no epoch validated");
    assertTrue(ModelBundle.load(out).scorer().score(List.of()).length == 0);
  }

  @Test
  void shouldRefuseAnUnknownOrOutOfRangeOption() {
    CommandRun unknown = CommandRun.of(new Train(), "--learningrate", "0.01");
    assertEquals(2, unknown.status(), "usage error");
    assertTrue(unknown.err().contains("Unknown options: '--learningrate'"), unknown.err());
    CommandRun dropout = CommandRun.of(new Train(), "--dropout", "1.5");
    assertEquals(2, dropout.status(), "usage error");
    assertTrue(dropout.err().contains("--dropout must be in [0, 1), got 1.5"), dropout.err());
  }
}
