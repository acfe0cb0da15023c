package io.vigil.deploy.local;

import io.vigil.schemas.http.InstanceForwarding;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A service running in a JVM of its own, its output prefixed with its name and kept (see {@link
 * #output()}). With {@code VIGIL_TLS_ENABLED=true} in its environment, readiness is checked over
 * HTTPS, trusting {@code VIGIL_TLS_TRUSTSTORE} (else the JDK's certificate authorities). The
 * launcher, the pipeline bench and the end-to-end tests start their services with it.
 */
public final class ServiceProcess {
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  /**
   * Longer than the services' own shutdown bounds (scoring gives its Kafka Streams 30 s to commit
   * and close): a service killed mid-close leaves exactly-once state that must be rebuilt from the
   * changelogs at the next start.
   */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(45);

  /**
   * The services' JVM: the G1 collector and up to 2 GiB of heap. At a million patients the alerts
   * service keeps 410 to 450 MiB of live objects; in the 1 GiB serial-collected heap it had before,
   * it stopped for 0.8 to 2 s every 35 s to collect the whole heap, holding back every alert
   * meanwhile, and scoring stopped for 0.7 s every 110 s. G1 collects old objects a few at a time.
   */
  static final List<String> JVM_OPTIONS = List.of("-XX:+UseG1GC", "-Xmx2g");

  private final ServiceSpec spec;
  private final Process process;
  private final List<String> output;
  private final boolean tls;
  private final Map<String, String> environment;

  private ServiceProcess(
      ServiceSpec spec, Process process, List<String> output, Map<String, String> environment) {
    this.spec = spec;
    this.process = process;
    this.output = output;
    this.environment = environment;
    this.tls = "true".equalsIgnoreCase(environment.getOrDefault("VIGIL_TLS_ENABLED", "").trim());
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
    return start(spec, home, bootstrapServers, environment, System.out);
  }

  /**
   * As {@link #start(ServiceSpec, Path, String, Map)}, echoing the service's lines to {@code echo}
   * prefixed with its name, or nowhere when {@code echo} is null (they are kept either way).
   */
  public static ServiceProcess start(
      ServiceSpec spec,
      Path home,
      String bootstrapServers,
      java.util.Map<String, String> environment,
      java.io.PrintStream echo)
      throws IOException {
    String classpath = Files.readString(spec.classpathFile(), StandardCharsets.UTF_8).strip();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
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
    List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  output.add(line);
                  if (echo != null) {
                    echo.println("[" + spec.name() + "] " + line);
                  }
                }
              } catch (IOException e) {
                // the process ended; its exit is reported by awaitReady or stop
              }
            },
            spec.name() + "-output");
    pump.setDaemon(true);
    pump.start();
    return new ServiceProcess(spec, process, output, Map.copyOf(builder.environment()));
  }

  /** Every line the service printed so far (standard output and error), without the prefix. */
  public List<String> output() {
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  /** The service's base URL: {@code https} when TLS is on. */
  String baseUrl() {
    return (tls ? "https" : "http") + "://127.0.0.1:" + spec.port();
  }

  /**
   * The trust the readiness check uses: {@code VIGIL_TLS_TRUSTSTORE} ({@code
   * VIGIL_TLS_TRUSTSTORE_PASSWORD}, {@code VIGIL_TLS_TRUSTSTORE_TYPE}, default PKCS12) when set,
   * else the JDK's default certificate authorities.
   */
  static SSLContext trusting(Map<String, String> environment) throws IOException {
    String path = environment.getOrDefault("VIGIL_TLS_TRUSTSTORE", "").trim();
    try {
      if (path.isEmpty()) {
        return SSLContext.getDefault();
      }
      return InstanceForwarding.trusting(
          Path.of(path),
          environment.getOrDefault("VIGIL_TLS_TRUSTSTORE_PASSWORD", ""),
          environment.getOrDefault("VIGIL_TLS_TRUSTSTORE_TYPE", "PKCS12"));
    } catch (GeneralSecurityException | IllegalArgumentException | UncheckedIOException e) {
      throw new IOException("cannot use the trust store " + path + ": " + e.getMessage(), e);
    }
  }

  /** Waits until the service's health endpoint answers 200, or fails if it died or timed out. */
  public void awaitReady() throws IOException, InterruptedException {
    if (spec.port() <= 0 || spec.healthPath().isBlank()) {
      return;
    }
    HttpClient.Builder clientBuilder =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls) {
      clientBuilder.sslContext(trusting(environment));
    }
    HttpClient client = clientBuilder.build();
    URI health = URI.create(baseUrl() + spec.healthPath());
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

  public String name() {
    return spec.name();
  }

  boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /**
   * Why the service ended, once it has: its exit status, the signal that killed it (a status above
   * 128 from the JVM), and the last line it printed that names an error.
   */
  String exitReason() {
    if (process.isAlive()) {
      return "still running";
    }
    int status = process.exitValue();
    StringBuilder why = new StringBuilder("exit status ").append(status);
    String signal = signalName(status);
    if (signal != null) {
      why.append(", killed by ").append(signal);
    }
    List<String> lines = output();
    for (int i = lines.size() - 1; i >= 0 && i >= lines.size() - 200; i--) {
      String line = lines.get(i);
      if (line.contains("Exception") || line.contains("ERROR") || line.startsWith("Error")) {
        String trimmed = line.strip();
        why.append("; last error: ")
            .append(trimmed.length() > 240 ? trimmed.substring(0, 240) + "..." : trimmed);
        break;
      }
    }
    return why.toString();
  }

  /** The signal a JVM's exit status above 128 reports (128 + signal number), or null. */
  static String signalName(int status) {
    return switch (status) {
      case 129 -> "SIGHUP";
      case 130 -> "SIGINT";
      case 134 -> "SIGABRT";
      case 137 -> "SIGKILL";
      case 139 -> "SIGSEGV";
      case 143 -> "SIGTERM";
      default -> status > 128 && status < 160 ? "signal " + (status - 128) : null;
    };
  }

  /**
   * Freezes the service (SIGSTOP), as a host that stops answering does: its sockets stay open, its
   * heartbeats stop. {@link #resume()} lets it run on, unaware that time passed.
   */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " " + pid() + " failed");
    }
  }

  /** Kills the service at once (SIGKILL): no shutdown hook, no last word to anyone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Asks the service to stop (SIGTERM), then kills it if it has not stopped in time. */
  public void stop() {
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
