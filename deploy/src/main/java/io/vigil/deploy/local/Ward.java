package io.vigil.deploy.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.VigilHome;
import io.vigil.tools.cli.Usage;
import io.vigil.tools.replay.IngestClient;
import io.vigil.tools.replay.IngestOption;
import io.vigil.tools.replay.ReplayJson;
import io.vigil.tools.simulator.CohortSimulator;
import io.vigil.tools.simulator.SimulatedPatient;
import io.vigil.tools.simulator.SimulatedReading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The simulated ward of {@code ./vigil up}: a seeded cohort of wearable-monitored patients of one
 * care team, half of whom deteriorate (sepsis-like, respiratory, bleeding-like) at known times. On
 * start it registers each patient's context and sends the last {@code --backfill-hours} of
 * readings, as a platform syncing its devices would, so that scores exist at once; then it sends
 * every minute's new readings as they happen.
 *
 * <p>{@link Cli} is its command line ({@code Ward --help}). The API key comes from {@code
 * VIGIL_API_KEY} or from {@code $VIGIL_HOME/demo.env}, written by ingest on its first start.
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

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] argv) {
    System.exit(new CommandLine(new Cli()).execute(argv));
  }

  /** The command line: registers the ward, sends its backfill, then every minute's readings. */
  @Command(
      name = "Ward",
      description =
          "The simulated ward of ./vigil up: a seeded cohort of wearable-monitored patients of one"
              + " care team, half of whom deteriorate, posting to ingest until stopped.",
      exitCodeList = {
        "1:the ward could not start: no API key, or ingest refused a patient or the backfill",
        "2:invalid command line: an unknown option or a value out of range"
      })
  static final class Cli implements Callable<Integer> {
    @Mixin private Usage usage;

    @Mixin private IngestOption ingest;

    @Option(
        names = "--patients",
        paramLabel = "N",
        defaultValue = "12",
        description = "Patients of the ward, at least 1.")
    private int patients;

    @Option(
        names = "--care-team",
        paramLabel = "ID",
        defaultValue = "ward-1",
        description = "Care team of every patient.")
    private String careTeam;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "7",
        description = "Seed of the cohort.")
    private long seed;

    @Option(
        names = "--backfill-hours",
        paramLabel = "N",
        defaultValue = "12",
        description = "Hours of past readings sent on start, 0 or more.")
    private long backfillHours;

    @Override
    public Integer call() throws Exception {
      usage.require(patients >= 1, "--patients must be at least 1, got " + patients);
      usage.require(backfillHours >= 0, "--backfill-hours must be 0 or more, got " + backfillHours);
      Path home = VigilHome.fromEnvironment().path();
      String apiKey =
          Optional.ofNullable(System.getenv("VIGIL_API_KEY"))
              .or(() -> DemoEnv.read(home.resolve("demo.env"), "VIGIL_API_KEY"))
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no API key: set VIGIL_API_KEY or start ingest once to write "
                              + home.resolve("demo.env")));
      Duration backfill = Duration.ofHours(backfillHours);
      Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
      Instant start = now.minus(backfill);
      // Onsets from half-way through the backfill to six hours from now: some patients are
      // already deteriorating when the ward starts, others will in the next hours.
      List<SimulatedPatient> cohort =
          CohortSimulator.cohort(
              patients, 0.5, start, backfill.dividedBy(2), backfill.plusHours(6), seed);
      Ward ward = new Ward(ingest.client(apiKey), cohort);
      ward.admit(careTeam);
      long sent = ward.send(start, now);
      System.out.printf(
          Locale.ROOT,
          "ward: %d patients of care team %s, %d readings of the last %d h sent%n",
          patients,
          careTeam,
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
      ward.sendEveryMinute(now);
      return 0;
    }
  }

  /** Sends each minute's readings from {@code start} on, as the minute ends, until interrupted. */
  private void sendEveryMinute(Instant start) throws InterruptedException {
    Instant from = start;
    while (!Thread.currentThread().isInterrupted()) {
      Instant next = from.plus(Duration.ofMinutes(1));
      long wait = Duration.between(Instant.now(), next).toMillis();
      if (wait > 0) {
        Thread.sleep(wait);
      }
      try {
        send(from, next);
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
  public static final class DemoEnv {
    private DemoEnv() {}

    /** The value of {@code key} in {@code file}; empty when either is missing. */
    public static Optional<String> read(Path file, String key) {
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
