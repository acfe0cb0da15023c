package io.vigil.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A service's {@code main} in a JVM of its own on the test class path, on a free port, with
 * everything it prints kept in a file: for tests of what a service does and prints when started as
 * an operator would start it.
 */
public final class ServiceJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private ServiceJvm(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code mainClass} with {@code PORT} set to a free port and waits until {@code /health}
   * answers 200.
   *
   * @param jvmOptions options before the class name (heap, logging configuration)
   * @param env variables added to the environment
   * @param unset variables removed from the inherited environment
   * @throws AssertionError with everything the service printed when it exits or is not ready in
   *     time
   */
  public static ServiceJvm start(
      String name,
      String mainClass,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Set<String> unset,
      Duration readyWithin)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Path log = Files.createTempFile("vigil-" + name + "-output", ".log");
    log.toFile().deleteOnExit();
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    unset.forEach(builder.environment()::remove);
    builder.environment().putAll(env);
    builder.environment().put("PORT", Integer.toString(port));
    ServiceJvm started = new ServiceJvm(name, builder.start(), port, log);
    HttpClient http = HttpClient.newHttpClient();
    Instant deadline = Instant.now().plus(readyWithin);
    while (Instant.now().isBefore(deadline)) {
      if (!started.process.isAlive()) {
        throw new AssertionError(name + " exited:\n" + started.output());
      }
      try {
        HttpResponse<Void> health =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          return started;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    started.stop();
    throw new AssertionError(
        name + " not ready in " + readyWithin.toSeconds() + " s:\n" + started.output());
  }

  public int port() {
    return port;
  }

  /** Everything the service printed so far (standard output and error). */
  public String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /** Asks the service to stop (SIGTERM), forcibly after 30 s. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  @Override
  public String toString() {
    return name + " on port " + port;
  }
}
