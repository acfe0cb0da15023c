package io.vigil.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus's own tools (Debian package {@code prometheus}) on the deploy configuration. */
final class PromTool {
  static final Path DEPLOY = Path.of("").toAbsolutePath();
  static final Path PROMETHEUS_DIR = DEPLOY.resolve("prometheus");

  private PromTool() {}

  record Result(int status, String output) {}

  static Path binary(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        name + " not found on PATH: install Debian's prometheus package (.ci/run does)");
  }

  static Result run(Path workDir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(binary("promtool").toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " did not finish");
    }
    return new Result(process.exitValue(), output);
  }
}
