package io.vigil.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PrometheusRulesTest {

  @Test
  void scrapeConfigAndEveryRuleFileAreValid() throws Exception {
    PromTool.Result result =
        PromTool.run(PromTool.PROMETHEUS_DIR, "check", "config", "prometheus.yml");
    assertEquals(0, result.status(), result.output());
    assertTrue(result.output().contains("SUCCESS"), result.output());
  }

  @Test
  void alertRulesFireExactlyAsTheirUnitTestsExpect() throws Exception {
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    args.addAll(files(PromTool.PROMETHEUS_DIR.resolve("tests")));
    PromTool.Result result =
        PromTool.run(PromTool.PROMETHEUS_DIR.resolve("tests"), args.toArray(String[]::new));
    assertEquals(0, result.status(), result.output());
    assertFalse(result.output().contains("FAILED"), result.output());
  }

  @Test
  void everyRuleFileHasUnitTests() throws IOException {
    for (String rules : files(PromTool.PROMETHEUS_DIR.resolve("rules"))) {
      String test = rules.replace(".yml", ".test.yml");
      assertTrue(
          Files.exists(PromTool.PROMETHEUS_DIR.resolve("tests").resolve(test)),
          "no unit tests for " + rules);
    }
  }

  static List<String> files(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".yml"))
          .sorted()
          .toList();
    }
  }
}
