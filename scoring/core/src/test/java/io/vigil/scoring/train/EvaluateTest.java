package io.vigil.scoring.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.scoring.model.Json;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.tools.CommandRun;
import io.vigil.tools.physionet.PhysioNetReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Evaluation of the shipped bundle and its baseline on the fixture stays, end to end. */
class EvaluateTest {
  static Path bundleDir() throws Exception {
    return Path.of(EvaluateTest.class.getResource(ModelBundle.DEFAULT_RESOURCE).toURI());
  }

  @Test
  void shouldReportTheThreeModelsOnTheSameHoursAsTableJsonAndPlot(@TempDir Path tmp)
      throws Exception {
    Path data = Path.of(EvaluateTest.class.getResource("/physionet2019/stays").toURI());
    ModelBundle bundle = ModelBundle.load(bundleDir());
    PhysioNetReader.Result read = PhysioNetReader.read(data);
    EncodedSet set = EncodedSet.encode(read.stays(), bundle);
    Map<String, Object> report =
        Evaluate.evaluate(
            bundle,
            LogisticBaseline.load(bundleDir()),
            TreeBaseline.loadIfPresent(bundleDir()),
            set,
            "fixture",
            read.dataHash(),
            20,
            1);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    Evaluate.printTable(report, new PrintStream(text, true, StandardCharsets.UTF_8));
    String table = text.toString(StandardCharsets.UTF_8);
    assertTrue(
        table.contains("lstm") && table.contains("news2") && table.contains("logistic"), table);

    Path json = tmp.resolve("evaluation.json");
    Evaluate.writeReport(report, json);
    JsonNode doc = Json.MAPPER.readTree(json.toFile());
    assertEquals(611, doc.get("hours").asInt(), "every hour of the eleven stays");
    assertEquals(3, doc.get("septicStays").asInt());
    assertEquals(5.0, doc.at("/models/news2/threshold").asDouble());
    assertEquals(bundle.metadata().defaultThreshold(), doc.at("/models/lstm/threshold").asDouble());
    for (String model : new String[] {"lstm", "news2", "logistic"}) {
      double auroc = doc.at("/models/" + model + "/auroc/value").asDouble();
      assertTrue(auroc >= 0 && auroc <= 1, model + " AUROC " + auroc);
      JsonNode rate = doc.at("/models/" + model + "/alertOnsetsPerPatientDay");
      assertTrue(rate.get("lo").asDouble() <= rate.get("hi").asDouble());
    }
    Path png = tmp.resolve("calibration.png");
    Evaluate.writePlot(report, png);
    assertTrue(Files.size(png) > 1000);
  }

  @Test
  void shouldReportSubgroupsAndHalfTheMeasurementDensity(@TempDir Path tmp) throws Exception {
    String folder =
        Path.of(EvaluateTest.class.getResource("/physionet2019/stays").toURI()).toString();
    Path json = tmp.resolve("robustness.json");
    CommandRun run =
        CommandRun.of(
            new Evaluate(),
            folder,
            "--bundle",
            bundleDir().toString(),
            "--json",
            json.toString(),
            "--bootstrap",
            "10",
            "--robustness",
            "true");
    assertEquals(0, run.status(), run.err());
    JsonNode doc = Json.MAPPER.readTree(json.toFile());
    JsonNode groups = doc.get("subgroups");
    int stays = 0;
    for (String sex : new String[] {"female", "male"}) {
      stays += groups.get(sex).get("stays").asInt();
    }
    assertEquals(11, stays, "every fixture stay is female or male");
    int byLength = 0;
    for (String g : new String[] {"stay <= 24 h", "stay 25-48 h", "stay 49-96 h", "stay > 96 h"}) {
      byLength += groups.get(g).get("stays").asInt();
    }
    assertEquals(11, byLength);
    assertEquals(14, groups.size(), "4 age bands, 2 sexes, 4 lengths, 4 density quartiles");
    double before = doc.at("/halfDensity/readingsPerHour/before").asDouble();
    double after = doc.at("/halfDensity/readingsPerHour/after").asDouble();
    assertTrue(after > 0.4 * before && after < 0.6 * before, before + " -> " + after);
    double auroc = doc.at("/halfDensity/models/lstm/auroc/value").asDouble();
    assertTrue(auroc >= 0 && auroc <= 1, "half-density AUROC " + auroc);
  }

  @Test
  void shouldRefuseToSplitDataTheBundleWasNotTrainedOn() throws Exception {
    String folder =
        Path.of(EvaluateTest.class.getResource("/physionet2019/stays").toURI()).toString();
    CommandRun run =
        CommandRun.of(new Evaluate(), folder, "--bundle", bundleDir().toString(), "--part", "test");
    assertEquals(2, run.status(), "usage error");
    assertTrue(run.err().contains("training data"), run.err());
  }
}
