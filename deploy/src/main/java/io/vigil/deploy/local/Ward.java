package io.vigil.deploy.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.scoring.replay.IngestClient;
import io.vigil.scoring.replay.ReplayJson;
import io.vigil.scoring.simulator.CohortSimulator;
import io.vigil.scoring.simulator.SimulatedPatient;
import io.vigil.scoring.simulator.SimulatedReading;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated ward of {@code ./vigil up}: a seeded cohort of wearable-monitored patients of one
 * care team, half of whom deteriorate (sepsis-like, respiratory, bleeding-like) at known times. On
 * start it registers each patient's context and sends the last {@code --backfill-hours} of
 * readings, as a platform syncing its devices would, so that scores exist at once; then it sends
 * every minute's new readings as they happen.
 *
 * <p>Arguments: {@code --ingest URL} (default http://localhost:8081), {@code --patients N} (default
 * 12), {@code --care-team ID} (default ward-1), {@code --seed N} (default 7), {@code
 * --backfill-hours N} (default 12). The API key comes from {@code VIGIL_API_KEY} or from {@code
 * $VIGIL_HOME/demo.env}, written by ingest on its first start.
 */
public final class Ward {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH = 2000;

  private final IngestClient ingest;
  private final List<SimulatedPatient> patients;

  Ward(IngestClient ingest, List<SimulatedPatient> patients) {
    this.ingest = ingest;
    this.patients = patients;
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Args.parse(argv);
    Path home = Path.of(Optional.ofNullable(System.getenv("VIGIL_HOME")).orElse(".vigil"));
    String apiKey =
        Optional.ofNullable(System.getenv("VIGIL_API_KEY"))
            .or(() -> DemoEnv.read(home.resolve("demo.env"), "VIGIL_API_KEY"))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no API key: set VIGIL_API_KEY or start ingest once to write "
                            + home.resolve("demo.env")));
    int size = Integer.parseInt(args.getOrDefault("patients", "12"));
    long seed = Long.parseLong(args.getOrDefault("seed", "7"));
    Duration backfill = Duration.ofHours(Long.parseLong(args.getOrDefault("backfill-hours", "12")));
    String team = args.getOrDefault("care-team", "ward-1");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    Instant start = now.minus(backfill);
    // Onsets from half-way through the backfill to six hours from now: some patients are already
    // deteriorating when the ward starts, others will in the next hours.
    List<SimulatedPatient> cohort =
        CohortSimulator.cohort(
            size, 0.5, start, backfill.dividedBy(2), backfill.plusHours(6), seed);
    Ward ward =
        new Ward(
            new IngestClient(
                URI.create(args.getOrDefault("ingest", "http://localhost:8081")), apiKey),
            cohort);
    ward.admit(team);
    long sent = ward.send(start, now);
    System.out.printf(
        Locale.ROOT,
        "ward: %d patients of care team %s, %d readings of the last %d h sent%n",
        size,
        team,
        sent,
        backfill.toHours());
    for (SimulatedPatient p : cohort) {
      if (p.episode() != null) {
        System.out.printf(
            Locale.ROOT,
            "ward: %s deteriorates (%s) from %s%n",
            p.id(),
            p.episode().type().name().toLowerCase(Locale.ROOT),
            p.episode().onset());
      }
    }
    Instant from = now;
    while (!Thread.currentThread().isInterrupted()) {
      Instant next = from.plus(Duration.ofMinutes(1));
      long wait = Duration.between(Instant.now(), next).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      try {
        ward.send(from, next);
        from = next;
      } catch (IOException e) {
        System.out.println("ward: ingest unavailable, retrying: " + e.getMessage());
      }
    }
  }

  void admit(String team) throws IOException, InterruptedException {
    for (SimulatedPatient p : patients) {
      ingest.putPatient(
          p.id(), ReplayJson.context(team, (double) p.age(), p.sex(), p.monitoringStart()));
    }
  }

  /** Sends every patient's readings of [from, to); returns how many were sent. */
  long send(Instant from, Instant to) throws IOException, InterruptedException {
    long sent = 0;
    ArrayNode batch = JSON.createArrayNode();
    for (SimulatedPatient p : patients) {
      for (SimulatedReading r : p.readings(from, to)) {
        ObjectNode reading = batch.addObject();
        reading.put("id", r.id());
        reading.put("patientId", r.patientId());
        reading.put("deviceId", "sim-wearable");
        reading.put("code", r.vital().code());
        reading.put("value", r.value());
        reading.put("unit", r.vital().unit());
        reading.put("time", r.time().toString());
        if (batch.size() == BATCH) {
          sent += ingest.postReadings(batch.toString());
          batch.removeAll();
        }
      }
    }
    if (!batch.isEmpty()) {
      sent += ingest.postReadings(batch.toString());
    }
    return sent;
  }

  /** Reads one KEY=value line of a demo.env file. */
  static final class DemoEnv {
    private DemoEnv() {}

    static Optional<String> read(Path file, String key) {
      try {
        return Files.readAllLines(file).stream()
            .filter(l -> l.startsWith(key + "="))
            .map(l -> l.substring(key.length() + 1).trim())
            .findFirst();
      } catch (IOException e) {
        return Optional.empty();
      }
    }
  }
}
