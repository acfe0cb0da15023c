package io.vigil.deploy.local;

import static io.vigil.deploy.local.PipelineService.INGEST;
import static io.vigil.deploy.local.PipelineService.SCORING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.RejectedObservation;
import io.vigil.scoring.features.PatientWindow;
import io.vigil.scoring.features.WindowAssembler;
import io.vigil.scoring.model.ModelBundle;
import io.vigil.scoring.model.PlattCalibration;
import io.vigil.scoring.physionet.StayWindows;
import io.vigil.scoring.train.EncodedSet;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import io.vigil.tools.physionet.PhysioNetReader;
import io.vigil.tools.physionet.PhysioNetStay;
import io.vigil.tools.replay.IngestClient;
import io.vigil.tools.replay.Replay;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay promise: {@code ./vigil replay} with concurrent, reordered requests ends with the same
 * final scores as a sequential replay and as the offline evaluation, for every hour of every
 * fixture stay.
 *
 * <p>Ingest and scoring run in JVMs of their own against a real broker, as {@code ./vigil up} runs
 * them. {@link Replay} posts the PhysioNet fixture stays through ingest's HTTP API three times,
 * under three patient prefixes of one tenant: stay by stay with one request at a time; interleaved
 * by event time across stays in small requests, four in flight; and the same with the requests
 * shuffled within a few places. After each replay one closing reading per patient, half an hour
 * into the hour after its stay's last row, moves the patient's event-time clock past the stay's
 * last window (no reading of a stay lies in that hour, so no window of the stay changes). Then
 * {@code risk.scores} is read with {@code read_committed} until quiet, and the latest revision of
 * each (patient, window end) is the window's score.
 *
 * <p>For every row of every stay, the offline risk is computed as {@code PhysioNetReplayTest}
 * computes it (the row's window assembled from the stay's buckets and scored by the shipped bundle)
 * and as {@code Evaluate} does ({@link EncodedSet}, raw network output, calibration); the two must
 * agree. Each replay must then score exactly the rows whose window holds a reading, each with the
 * offline LSTM risk (within 1e-6) and NEWS2 total as its final score; the revisions of a window
 * must come in order 0, 1, 2, ...; no reading may be rejected by scoring.
 */
@WithKafka(dedicated = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentReplayTest {
  static final Path STAYS =
      PipelineEndToEndTest.ROOT.resolve("scoring/core/src/test/resources/physionet2019/stays");

  /** Scoring's default allowed lateness, which the reordering must stay within. */
  static final Duration ALLOWED_LATENESS = Duration.ofHours(24);

  static final Duration QUIET = Duration.ofSeconds(3);
  static final Duration SCORES_TIMEOUT = Duration.ofMinutes(2);

  final List<ServiceProcess> services = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();
  TestKafka kafka;
  Path home;
  int ingestPort;
  int scoringPort;

  @BeforeAll
  void startServices(TestKafka kafka, @TempDir Path work) throws Exception {
    this.kafka = kafka;
    home = work.resolve("home");
    Files.createDirectories(home);
    ingestPort = PipelineEndToEndTest.freePort();
    scoringPort = PipelineEndToEndTest.freePort();
    Path classpaths = PipelineEndToEndTest.classpaths(work, INGEST, SCORING);
    start(INGEST.spec(classpaths).withPort(ingestPort));
    start(
        SCORING.spec(classpaths).withPort(scoringPort),
        // The offline windows end on the hour of the stays' rows: phase 0 to compare them.
        java.util.Map.of("SCORING_WINDOW_PHASE", "aligned"));
  }

  void start(ServiceSpec spec) throws Exception {
    start(spec, java.util.Map.of());
  }

  void start(ServiceSpec spec, java.util.Map<String, String> env) throws Exception {
    ServiceProcess process = ServiceProcess.start(spec, home, kafka.bootstrapServers(), env);
    services.add(process);
    process.awaitReady();
  }

  @AfterAll
  void stopServices() {
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).stop();
    }
  }

  /** One replay of the fixture stays and what came of it. */
  static final class Run {
    final String name;
    final Replay.Options options;
    Replay.Result result;
    double lateAccepted;
    double tooLate;
    double postSeconds;
    double scoredSeconds;

    /** Scores seen, per stay id and window end, in the order read (offset order per patient). */
    final Map<String, TreeMap<Instant, List<RiskScore>>> scores = new TreeMap<>();

    Run(String name, Replay.Options options) {
      this.name = name;
      this.options = options;
    }

    RiskScore last(String stay, Instant end) {
      TreeMap<Instant, List<RiskScore>> windows = scores.get(stay);
      List<RiskScore> seen = windows == null ? null : windows.get(end);
      if (seen == null) {
        return null;
      }
      RiskScore latest = seen.get(0);
      for (RiskScore s : seen) {
        latest = s.getRevision() >= latest.getRevision() ? s : latest;
      }
      return latest;
    }
  }

  /** Offline risk and NEWS2 of one row's window. */
  record Offline(String stay, Instant end, boolean hasReadings, double risk, int news2) {}

  @Test
  void concurrentAndShuffledReplaysEndWithTheSequentialAndTheOfflineScores() throws Exception {
    long began = System.nanoTime();
    List<PhysioNetStay> stays = PhysioNetReader.read(STAYS).stays();
    Instant start = Replay.defaultStart(Instant.now());
    List<Offline> offline = offline(stays, start);
    long rows = offline.stream().filter(Offline::hasReadings).count();
    double offlineSeconds = (System.nanoTime() - began) / 1e9;

    long seed = Long.getLong("replay.seed", 2019L);
    Replay.Options base = Replay.Options.defaults(start).withCareTeam("icu-replay");
    Replay.Options live = base.withOrder(Replay.Order.TIME).withBatch(10).withConcurrency(4);
    List<Run> runs =
        List.of(
            new Run("sequential", base.withPrefix("seq-")),
            new Run("concurrent", live.withPrefix("conc-")),
            new Run("shuffled", live.withPrefix("shuf-").withShuffle(3, seed)));

    String apiKey = demoEnv("VIGIL_API_KEY");
    IngestClient ingest = new IngestClient(URI.create("http://127.0.0.1:" + ingestPort), apiKey);
    Replay replay = new Replay(ingest);
    Map<String, Run> byPrefix = new LinkedHashMap<>();
    runs.forEach(r -> byPrefix.put(r.options.prefix(), r));
    List<String> failures = new ArrayList<>();
    try (KafkaConsumer<PatientKey, RiskScore> consumer = kafka.consumer(Topics.RISK_SCORES)) {
      consumer.subscribe(List.of(Topics.RISK_SCORES.name()));
      for (Run run : runs) {
        double[] before = lateCounters();
        long posting = System.nanoTime();
        run.result = replay.replay(stays, run.options);
        run.postSeconds = (System.nanoTime() - posting) / 1e9;
        assertEquals(
            stays.stream().mapToInt(s -> s.readings(start).size()).sum(), run.result.readings());
        assertTrue(
            run.result.maxBehind().compareTo(ALLOWED_LATENESS) < 0,
            run.name + " reorders by " + run.result.maxBehind() + ", beyond the allowed lateness");
        close(ingest, stays, run.options);
        long closed = System.nanoTime();
        if (!awaitScores(consumer, byPrefix, run, offline)) {
          failures.add(run.name + ": not every expected window scored within " + SCORES_TIMEOUT);
        }
        run.scoredSeconds = (System.nanoTime() - closed) / 1e9;
        double[] after = lateCounters();
        run.lateAccepted = after[0] - before[0];
        run.tooLate = after[1] - before[1];
      }
      drainUntilQuiet(consumer, byPrefix);
    }

    Map<String, Long> rejected = rejected(byPrefix.keySet());
    Run sequential = runs.get(0);
    for (Run run : runs) {
      failures.addAll(compare(run, sequential, offline));
    }
    if (!rejected.isEmpty()) {
      failures.add("scoring rejected replayed readings: " + rejected);
    }

    System.out.printf(
        Locale.ROOT,
        "replay promise: %d stays, %d rows, %d rows with readings (scored offline and expected"
            + " live, %.1f s offline), start %s, shuffle seed %d%n",
        stays.size(),
        offline.size(),
        rows,
        offlineSeconds,
        start,
        seed);
    for (Run run : runs) {
      print(run, stays.stream().mapToLong(s -> s.readings(start).size()).sum());
    }
    System.out.printf(
        Locale.ROOT,
        "replay promise: %d failures, %.1f s%n",
        failures.size(),
        (System.nanoTime() - began) / 1e9);
    assertEquals(
        List.of(),
        failures.subList(0, Math.min(40, failures.size())),
        failures.size() + " failures");
    assertTrue(
        runs.get(2).scores.values().stream()
            .flatMap(w -> w.values().stream())
            .anyMatch(seen -> seen.size() > 1),
        "the shuffled replay revised no window: it did not exercise late readings");
  }

  /**
   * Every row's offline risk and NEWS2, as PhysioNetReplayTest computes the risk (the row's window
   * from the stay's buckets at {@code start}) and as the offline evaluation does ({@link
   * EncodedSet}: raw output, then calibration; NEWS2 from {@code News2Baseline}); the two risks
   * must agree.
   */
  static List<Offline> offline(List<PhysioNetStay> stays, Instant start) {
    ModelBundle bundle = ModelBundle.loadDefault();
    WindowAssembler assembler = new WindowAssembler(bundle.windowHours());
    EncodedSet set = EncodedSet.encode(stays, bundle);
    double[] raw = bundle.scorer().rawScore(set.packed, set.n);
    PlattCalibration calibration = bundle.calibration();
    List<Offline> out = new ArrayList<>();
    int row = 0;
    for (PhysioNetStay stay : stays) {
      List<PatientWindow> windows = new ArrayList<>();
      for (PhysioNetStay.Row r : stay.rows()) {
        windows.add(
            assembler.assemble(
                PhysioNetStay.windowEnd(start, r.iculos()),
                StayWindows.buckets(stay, start),
                stay.age(),
                stay.sex(),
                start));
      }
      double[] risk = bundle.scorer().score(windows);
      for (int i = 0; i < windows.size(); i++, row++) {
        double evaluated = calibration.apply(raw[row]);
        assertEquals(evaluated, risk[i], 1e-6, stay.id() + " row " + i + ": evaluation vs reader");
        boolean hasReadings = false;
        for (Vital v : Vital.values()) {
          hasReadings |= windows.get(i).observedHours(v) > 0;
        }
        out.add(
            new Offline(
                stay.id(),
                PhysioNetStay.windowEnd(start, stay.rows().get(i).iculos()),
                hasReadings,
                risk[i],
                set.news2[row]));
      }
    }
    return out;
  }

  /**
   * Posts, per stay, one heart rate half an hour into the hour after the stay's last row: it moves
   * the patient's clock past the stay's last window and lies in no window of the stay.
   */
  static void close(IngestClient ingest, List<PhysioNetStay> stays, Replay.Options options)
      throws Exception {
    List<String> items = new ArrayList<>();
    for (PhysioNetStay stay : stays) {
      int last = stay.rows().get(stay.rows().size() - 1).iculos();
      items.add(
          "{\"id\":\""
              + stay.id()
              + "-closing\",\"patientId\":\""
              + options.prefix()
              + stay.id()
              + "\",\"deviceId\":\"replay-test\",\"code\":\"heart_rate\",\"value\":80,"
              + "\"unit\":\"/min\",\"time\":\""
              + PhysioNetStay.readingTime(options.start(), last + 1)
              + "\"}");
    }
    assertEquals(
        items.size(), ingest.postReadings("{\"readings\":[" + String.join(",", items) + "]}"));
  }

  /**
   * Reads scores until the run has one for every row with readings and nothing new arrived for
   * {@link #QUIET}; false if that did not happen within {@link #SCORES_TIMEOUT}.
   */
  static boolean awaitScores(
      KafkaConsumer<PatientKey, RiskScore> consumer,
      Map<String, Run> byPrefix,
      Run run,
      List<Offline> offline) {
    Instant deadline = Instant.now().plus(SCORES_TIMEOUT);
    Instant lastSeen = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      if (poll(consumer, byPrefix) > 0) {
        lastSeen = Instant.now();
      }
      boolean complete =
          offline.stream()
              .filter(Offline::hasReadings)
              .allMatch(o -> run.last(o.stay(), o.end()) != null);
      if (complete && Duration.between(lastSeen, Instant.now()).compareTo(QUIET) >= 0) {
        return true;
      }
    }
    return false;
  }

  static void drainUntilQuiet(
      KafkaConsumer<PatientKey, RiskScore> consumer, Map<String, Run> byPrefix) {
    Instant lastSeen = Instant.now();
    while (Duration.between(lastSeen, Instant.now()).compareTo(QUIET) < 0) {
      if (poll(consumer, byPrefix) > 0) {
        lastSeen = Instant.now();
      }
    }
  }

  static int poll(KafkaConsumer<PatientKey, RiskScore> consumer, Map<String, Run> byPrefix) {
    int n = 0;
    for (ConsumerRecord<PatientKey, RiskScore> record : consumer.poll(Duration.ofMillis(200))) {
      String patient = record.key().getPatientId();
      for (Map.Entry<String, Run> e : byPrefix.entrySet()) {
        if (patient.startsWith(e.getKey())) {
          e.getValue()
              .scores
              .computeIfAbsent(patient.substring(e.getKey().length()), p -> new TreeMap<>())
              .computeIfAbsent(record.value().getWindowEnd(), w -> new ArrayList<>())
              .add(record.value());
          n++;
        }
      }
    }
    return n;
  }

  /** Differences of a run from the offline scores and from the sequential run. */
  static List<String> compare(Run run, Run sequential, List<Offline> offline) {
    List<String> failures = new ArrayList<>();
    Map<String, TreeSet<Instant>> rowEnds = new TreeMap<>();
    Map<String, Instant> stayEnds = new TreeMap<>();
    for (Offline o : offline) {
      rowEnds.computeIfAbsent(o.stay(), s -> new TreeSet<>()).add(o.end());
      stayEnds.merge(o.stay(), o.end(), (a, b) -> a.isAfter(b) ? a : b);
      RiskScore score = run.last(o.stay(), o.end());
      String where = run.name + " " + o.stay() + " window ending " + o.end();
      if (!o.hasReadings()) {
        if (score != null) {
          failures.add(where + ": scored, but the window holds no reading");
        }
        continue;
      }
      if (score == null) {
        failures.add(where + ": no score (offline risk " + o.risk() + ")");
        continue;
      }
      if (score.getLstmRisk() == null || Math.abs(score.getLstmRisk() - o.risk()) > 1e-6) {
        failures.add(
            where
                + ": LSTM risk "
                + score.getLstmRisk()
                + " at revision "
                + score.getRevision()
                + ", offline "
                + o.risk());
      }
      if (score.getNews2().getTotal() != o.news2()) {
        failures.add(
            where
                + ": NEWS2 "
                + score.getNews2().getTotal()
                + " at revision "
                + score.getRevision()
                + ", offline "
                + o.news2());
      }
    }
    for (Map.Entry<String, TreeMap<Instant, List<RiskScore>>> stay : run.scores.entrySet()) {
      for (Map.Entry<Instant, List<RiskScore>> window : stay.getValue().entrySet()) {
        String where = run.name + " " + stay.getKey() + " window ending " + window.getKey();
        List<Integer> revisions = window.getValue().stream().map(RiskScore::getRevision).toList();
        for (int i = 0; i < revisions.size(); i++) {
          if (revisions.get(i) != i) {
            failures.add(where + ": revisions in the order read " + revisions);
            break;
          }
        }
        Instant stayEnd = stayEnds.get(stay.getKey());
        boolean inStay = stayEnd != null && !window.getKey().isAfter(stayEnd);
        if (inStay && !rowEnds.get(stay.getKey()).contains(window.getKey())) {
          failures.add(where + ": scored, but no row of the stay ends there");
        }
      }
    }
    if (run != sequential) {
      TreeSet<String> mine = scoredWindows(run, stayEnds);
      TreeSet<String> theirs = scoredWindows(sequential, stayEnds);
      if (!mine.equals(theirs)) {
        TreeSet<String> extra = new TreeSet<>(mine);
        extra.removeAll(theirs);
        TreeSet<String> missing = new TreeSet<>(theirs);
        missing.removeAll(mine);
        failures.add(run.name + " vs sequential windows: extra " + extra + ", missing " + missing);
      }
    }
    return failures;
  }

  /** The run's scored windows inside its stays, as {@code stay@end}. */
  static TreeSet<String> scoredWindows(Run run, Map<String, Instant> stayEnds) {
    TreeSet<String> out = new TreeSet<>();
    run.scores.forEach(
        (stay, windows) ->
            windows.keySet().stream()
                .filter(end -> !end.isAfter(stayEnds.get(stay)))
                .forEach(end -> out.add(stay + "@" + end)));
    return out;
  }

  void print(Run run, long readings) {
    long windows = 0;
    long records = 0;
    long revised = 0;
    int maxRevision = 0;
    long lateInScores = 0;
    for (TreeMap<Instant, List<RiskScore>> stay : run.scores.values()) {
      for (List<RiskScore> seen : stay.values()) {
        windows++;
        records += seen.size();
        revised += seen.size() > 1 ? 1 : 0;
        for (RiskScore s : seen) {
          maxRevision = Math.max(maxRevision, s.getRevision());
          lateInScores += s.getLateReadings();
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "replay promise: %-10s order %-5s batch %4d concurrency %d shuffle %d: %d readings in %d"
            + " requests in %.1f s, at most %s behind; all scored and quiet %.1f s later; %d windows, %d scores read (revisions), %d windows"
            + " revised, max revision %d, late readings %.0f accepted (%.1f %% of readings), %.0f"
            + " too late, %d late readings summed over scored windows%n",
        run.name,
        run.options.order().name().toLowerCase(Locale.ROOT),
        run.options.batch(),
        run.options.concurrency(),
        run.options.shuffle(),
        run.result.readings(),
        run.result.requests(),
        run.postSeconds,
        run.result.maxBehind(),
        run.scoredSeconds,
        windows,
        records,
        revised,
        maxRevision,
        run.lateAccepted,
        100.0 * run.lateAccepted / readings,
        run.tooLate,
        lateInScores);
  }

  /** Scoring's late-reading counters summed over tenants: accepted, too late. */
  double[] lateCounters() throws Exception {
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + scoringPort + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double[] out = new double[2];
    for (String line : metrics.split("\n")) {
      if (line.startsWith("vigil_scoring_late_readings_total{")) {
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        out[line.contains("outcome=\"accepted\"") ? 0 : 1] += value;
      }
    }
    return out;
  }

  /** Rejections of the runs' readings on vitals.rejected, by reason. */
  Map<String, Long> rejected(Iterable<String> prefixes) {
    Map<String, Long> out = new TreeMap<>();
    for (ConsumerRecord<PatientKey, RejectedObservation> r :
        kafka.consume(Topics.VITALS_REJECTED, Integer.MAX_VALUE, Duration.ofSeconds(3))) {
      for (String prefix : prefixes) {
        if (r.key() != null && r.key().getPatientId().startsWith(prefix)) {
          out.merge(prefix + r.value().getReason(), 1L, Long::sum);
        }
      }
    }
    return out;
  }

  String demoEnv(String key) {
    return Ward.DemoEnv.read(home.resolve("demo.env"), key)
        .orElseThrow(() -> new AssertionError(key + " missing from demo.env"));
  }
}
