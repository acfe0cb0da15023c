package io.vigil.deploy.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./vigil up}'s launcher ({@link Up}, in a JVM of its own, with its own broker) keeps its
 * services running: ingest killed with SIGKILL is restarted, the reason printed, and answers again;
 * killed again and again beyond the restart limit, the launcher says it gives up, stops everything
 * (the broker too) and exits with status 1.
 */
class UpSupervisionTest {

  @Test
  void aKilledServiceIsRestartedAndOneThatKeepsDyingStopsEverythingLoudly(@TempDir Path work)
      throws Exception {
    Path home = work.resolve("home");
    Files.createDirectories(home);
    int kafkaPort = LocalBrokerTest.freePort();
    int controllerPort = LocalBrokerTest.freePort();
    int ingestPort = LocalBrokerTest.freePort();
    Path classpaths = PipelineEndToEndTest.classpaths(work, PipelineService.INGEST);
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process up =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath,
                Up.class.getName(),
                "--home",
                home.toString(),
                "--classpaths",
                classpaths.toString(),
                "--only",
                "ingest",
                "--port",
                "ingest=" + ingestPort,
                "--kafka-port",
                Integer.toString(kafkaPort),
                "--controller-port",
                Integer.toString(controllerPort),
                "--max-restarts",
                "1")
            .redirectErrorStream(true)
            .start();
    List<String> output = Collections.synchronizedList(new ArrayList<>());
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(up.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                  output.add(line);
                }
              } catch (IOException e) {
                // the launcher ended
              }
            });
    pump.setDaemon(true);
    pump.start();
    try {
      await().atMost(Duration.ofMinutes(4)).until(() -> printed(output, "vigil: up."));
      long first = ingest(up).orElseThrow().pid();
      assertEquals(200, health(ingestPort));

      ingest(up).orElseThrow().destroyForcibly();
      // Generous bounds: a JVM starts slowly on two busy cores.
      await()
          .atMost(Duration.ofMinutes(4))
          .until(
              () ->
                  ingest(up).map(p -> p.pid() != first).orElse(false)
                      && health(ingestPort) == 200
                      && count(output, "vigil: ingest ready on") == 2);
      assertTrue(
          printed(
              output,
              "vigil: ingest died (exit status 137, killed by SIGKILL); restarting in 1.0 s"
                  + " (restart 1 of at most 1 within 10 min)"),
          String.join("\n", output));

      // Killed again: the restart limit (1 within 10 minutes) is used up.
      ingest(up).orElseThrow().destroyForcibly();
      assertTrue(up.waitFor(4, TimeUnit.MINUTES), "the launcher gave up and ended");
      assertEquals(1, up.exitValue());
      pump.join(5000);
      assertTrue(
          printed(
              output,
              "vigil: giving up: ingest died (exit status 137, killed by SIGKILL) and keeps dying"
                  + " (limit of 1 restarts within 10 min reached). Stopping everything."),
          String.join("\n", output));
      assertTrue(printed(output, "vigil: stopped"), String.join("\n", output));
      assertFalse(listening(kafkaPort), "the broker was stopped too");
      assertFalse(listening(ingestPort), "no service left behind");
    } finally {
      up.descendants().forEach(ProcessHandle::destroyForcibly);
      up.destroyForcibly();
    }
  }

  /** Ingest's JVM: the launcher's only child (its broker runs inside the launcher). */
  private static Optional<ProcessHandle> ingest(Process up) {
    return up.children().filter(ProcessHandle::isAlive).findFirst();
  }

  private static boolean printed(List<String> output, String text) {
    synchronized (output) {
      return output.stream().anyMatch(l -> l.contains(text));
    }
  }

  private static long count(List<String> output, String text) {
    synchronized (output) {
      return output.stream().filter(l -> l.contains(text)).count();
    }
  }

  private static int health(int port) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
