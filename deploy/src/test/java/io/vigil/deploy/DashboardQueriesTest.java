package io.vigil.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana is not available here, so the dashboards are checked against a real Prometheus: every
 * panel query must be accepted by Prometheus's query engine, and every panel must use the
 * provisioned data source.
 */
class DashboardQueriesTest {
  static final Path DASHBOARDS = PromTool.DEPLOY.resolve("grafana/dashboards");
  static final ObjectMapper JSON = new ObjectMapper();

  static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
  }

  static void collectExpressions(JsonNode node, List<String> out) {
    if (node.isObject()) {
      if (node.has("expr")) {
        out.add(node.get("expr").asText());
      }
      node.elements().forEachRemaining(child -> collectExpressions(child, out));
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectExpressions(child, out));
    }
  }

  /** Grafana's own variables, replaced by what Grafana would send. */
  static String asPrometheusWouldReceive(String expr) {
    return expr.replace("$__rate_interval", "1m").replace("$__interval", "15s");
  }

  @Test
  void everyPanelQueryIsValidPromQl(@TempDir Path work) throws Exception {
    List<String> expressions = new ArrayList<>();
    for (Path dashboard : dashboards()) {
      collectExpressions(JSON.readTree(dashboard.toFile()), expressions);
    }
    assertTrue(expressions.size() >= 20, "expected the pipeline dashboard's queries");
    String config =
        """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: self
            static_configs:
              - targets: ["127.0.0.1:${PORT}"]
        """;
    try (PrometheusServer prometheus = new PrometheusServer(work, config)) {
      List<String> rejected = new ArrayList<>();
      for (String expr : expressions) {
        HttpResponse<String> response = prometheus.query(asPrometheusWouldReceive(expr));
        if (response.statusCode() != 200 || !response.body().contains("\"status\":\"success\"")) {
          rejected.add(expr + " -> " + response.body());
        }
      }
      assertEquals(List.of(), rejected);
      HttpResponse<String> broken = prometheus.query("sum(rate(vigil_x[1m])");
      assertEquals(400, broken.statusCode(), "the check must be able to fail");
    }
  }

  @Test
  void everyDashboardIsProvisionableAndUsesTheProvisionedDataSource() throws IOException {
    List<Path> files = dashboards();
    assertFalse(files.isEmpty());
    String datasourceUid =
        Files.readString(PromTool.DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"))
            .lines()
            .filter(l -> l.trim().startsWith("uid:"))
            .map(l -> l.substring(l.indexOf(':') + 1).trim())
            .findFirst()
            .orElseThrow();
    for (Path file : files) {
      JsonNode dashboard = JSON.readTree(file.toFile());
      assertFalse(dashboard.path("uid").asText().isBlank(), file + " has no uid");
      assertFalse(dashboard.path("title").asText().isBlank(), file + " has no title");
      List<JsonNode> datasources = new ArrayList<>();
      dashboard.findParents("datasource").forEach(p -> datasources.add(p.get("datasource")));
      assertFalse(datasources.isEmpty());
      for (JsonNode ds : datasources) {
        assertEquals(datasourceUid, ds.path("uid").asText(), file + ": panel data source");
      }
    }
  }
}
