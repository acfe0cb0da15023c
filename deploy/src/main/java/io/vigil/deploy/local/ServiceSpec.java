package io.vigil.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One service {@code ./vigil up} starts: its name, HTTP port (0 for none), main class, the file
 * holding its class path, its health path and extra arguments.
 *
 * <p>The launcher script writes one line per service to {@code .vigil/services}, in start order:
 * {@code name|port|mainClass|classpathFile|healthPath|arg1 arg2 ...}. Lines starting with # are
 * comments.
 *
 * <p>{@code ./vigil up} is the demo: every service with an HTTP port gets the demo switch {@value
 * #DEMO_SWITCH} after its own arguments (the services create demo credentials only with it; the
 * ward, without a port, has its own argument parser and does not).
 */
public record ServiceSpec(
    String name,
    int port,
    String mainClass,
    Path classpathFile,
    String healthPath,
    List<String> args) {

  /** The services' demo switch (Micronaut command-line property {@code vigil.demo}). */
  public static final String DEMO_SWITCH = "--vigil.demo=true";

  public ServiceSpec {
    if (port > 0 && !args.contains(DEMO_SWITCH)) {
      List<String> withDemo = new ArrayList<>(args);
      withDemo.add(DEMO_SWITCH);
      args = List.copyOf(withDemo);
    }
  }

  public String url() {
    return port > 0 ? "http://localhost:" + port : "(no HTTP)";
  }

  /** The services of {@code file}, in its order; none when it does not exist. */
  public static List<ServiceSpec> load(Path file) throws IOException {
    List<ServiceSpec> specs = new ArrayList<>();
    if (!Files.exists(file)) {
      return specs;
    }
    int lineNumber = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split("\\|", -1);
      if (parts.length != 6) {
        throw new IOException(file + ":" + lineNumber + ": expected 6 fields separated by |");
      }
      List<String> args =
          parts[5].isBlank() ? List.of() : Arrays.asList(parts[5].trim().split("\\s+"));
      specs.add(
          new ServiceSpec(
              parts[0].trim(),
              Integer.parseInt(parts[1].trim()),
              parts[2].trim(),
              Path.of(parts[3].trim()),
              parts[4].trim(),
              args));
    }
    return specs;
  }
}
