package io.vigil.deploy.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.concurrent.TimeUnit;

/** A service running in a JVM of its own, its output prefixed with its name. */
final class ServiceProcess {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  /**
   * Longer than the services' own shutdown bounds (scoring gives its Kafka Streams 30 s to commit
   * and close): a service killed mid-close leaves exactly-once state that must be rebuilt from the
   * changelogs at the next start.
   */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

  private final ServiceSpec spec;
  private final Process process;

  private ServiceProcess(ServiceSpec spec, Process process) {
    this.spec = spec;
    this.process = process;
  }

  static ServiceProcess start(ServiceSpec spec, Path home, String bootstrapServers)
      throws IOException {
    return start(spec, home, bootstrapServers, java.util.Map.of());
  }

  /**
   * Starts the service with {@code environment} added to its environment (e.g. the {@code KAFKA_*}
   * transport security variables every service reads).
   */
  static ServiceProcess start(
      ServiceSpec spec,
      Path home,
      String bootstrapServers,
      java.util.Map<String, String> environment)
      throws IOException {
    String classpath = Files.readString(spec.classpathFile(), StandardCharsets.UTF_8).strip();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(classpath);
    command.add(spec.mainClass());
    command.addAll(spec.args());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
    builder.environment().put("VIGIL_HOME", home.toString());
    builder.environment().putAll(environment);
    if (spec.port() > 0) {
      builder.environment().put("PORT", Integer.toString(spec.port()));
    }
    Process process = builder.start();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  System.out.println("[" + spec.name() + "] " + line);
                }
              } catch (IOException e) {
                // the process ended; its exit is reported by awaitReady or stop
              }
            },
            spec.name() + "-output");
    pump.setDaemon(true);
    pump.start();
    return new ServiceProcess(spec, process);
  }

  /** Waits until the service's health endpoint answers 200, or fails if it died or timed out. */
  void awaitReady() throws IOException, InterruptedException {
    if (spec.port() <= 0 || spec.healthPath().isBlank()) {
      return;
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    URI health = URI.create("http://127.0.0.1:" + spec.port() + spec.healthPath());
    Instant deadline = Instant.now().plus(READY_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(spec.name() + " exited with status " + process.exitValue());
      }
      try {
        HttpResponse<Void> response =
            client.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      process.waitFor(500, TimeUnit.MILLISECONDS);
    }
    throw new IOException(spec.name() + " not healthy at " + health + " after " + READY_TIMEOUT);
  }

  /** Asks the service to stop (SIGTERM), then kills it if it has not stopped in time. */
  void stop() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
