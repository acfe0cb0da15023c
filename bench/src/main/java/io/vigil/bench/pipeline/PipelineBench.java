package io.vigil.bench.pipeline;

import static io.vigil.deploy.local.PipelineService.ALERTS;
import static io.vigil.deploy.local.PipelineService.INGEST;
import static io.vigil.deploy.local.PipelineService.SCORING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.deploy.local.LocalBroker;
import io.vigil.deploy.local.NurseSignIn;
import io.vigil.deploy.local.PipelineService;
import io.vigil.deploy.local.ServiceProcess;
import io.vigil.deploy.local.ServiceSpec;
import io.vigil.deploy.local.Ward;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.common.VitalType;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.serde.AvroSerde;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import io.vigil.tools.cli.Usage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil bench pipeline}: the whole pipeline on this machine under a sustained load, with
 * authentication on wherever a deployment has it. A real broker (the launcher's, with a SASL
 * listener the services authenticate to), ingest, scoring and alerts each in a JVM of its own (the
 * launcher's, {@link PipelineService}), and a load generator posting readings over HTTP with the
 * demo platform key, many requests in flight, as platforms do. A nurse signed in to the alerts
 * service holds its alerts' live stream (SSE, {@code ?events=alert}) open, as an outreach team's
 * alert board does: every patient is in the tenant's fallback team, and a ward nurse's full stream
 * would also carry the overview's row of every patient whose readings changed.
 *
 * <p>Each simulated patient sends 4 vital signs at a fixed interval of event time; event time runs
 * {@code --speed} times faster than the wall clock and ends a few minutes before now (no reading is
 * in the future), so windows come due during a short run. The interval follows from the patient
 * count and the offered rate. A share of patients ({@code --sick}) deteriorates, at onsets spread
 * over the run (from their first reading when the run spans fewer than five windows of event time),
 * to NEWS2 10 (RR 26, SpO2 90 %, systolic 95, HR 125).
 *
 * <p>A window is <em>due</em> when the platform sends the first reading of the patient whose time
 * is past the window's end plus the grace, or earlier, once the grace has passed in real time since
 * the patient's reading before it (scoring then closes the window on the wall clock; in a real-time
 * run, {@code --speed 1}, this is the window's end plus the grace). From that moment (the request's
 * start, so ingest's own time counts) the bench measures the window's first risk score on {@code
 * risk.scores} (read committed) and, for deteriorating patients, the alert on the nurse's live
 * stream. It prints them with the sustained accepted rate, the raw producer rate on the same broker
 * in the same run (the baseline), CPU and resident memory per process, disk per patient, and
 * whether every due window of every patient was scored exactly once.
 *
 * <p>{@link Cli} is its command line ({@code ./vigil bench pipeline --help} lists the options with
 * their defaults).
 */
public final class PipelineBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final VitalType[] VITALS = {
    VitalType.HEART_RATE,
    VitalType.RESPIRATORY_RATE,
    VitalType.OXYGEN_SATURATION,
    VitalType.SYSTOLIC_BP
  };
  private static final String[] CODES = {
    "heart_rate", "respiratory_rate", "oxygen_saturation", "systolic_bp"
  };
  private static final String[] UNITS = {"/min", "/min", "%", "mm[Hg]"};
  private static final double[] STABLE = {72, 15, 97, 124};
  private static final double[] SICK = {125, 26, 90, 95};

  /** Ring slots pack the reading's number (high bits) and its send time since start (low bits). */
  private static final int K_SHIFT = 40;

  private static final long WALL_MASK = (1L << K_SHIFT) - 1;
  private static final int RAW_SECONDS = 10;

  /** One run's load, scoring settings and state. */
  record Options(
      int patients,
      int rate,
      int seconds,
      double speed,
      int clients,
      double sick,
      int cadenceMinutes,
      int graceMinutes,
      int warmup,
      Path classpaths,
      Path home,
      boolean sasl) {

    long cadenceMs() {
      return cadenceMinutes * 60_000L;
    }

    long graceMs() {
      return graceMinutes * 60_000L;
    }

    /** Event time between two readings of one patient. */
    long intervalMs() {
      return Math.round(patients * (double) VITALS.length * speed * 1000 / rate);
    }
  }

  private final Options o;
  private final long interval;
  private final int ring;
  private final int sickEvery;

  /** Wall and event time at the start of the load (event time is set back to end before now). */
  private long wall0;

  private long event0;
  private final String runId = HexFormat.of().formatHex(new SecureRandom().generateSeed(3));

  /** Per patient, a ring of the last readings sent and acknowledged: number and send time. */
  private final AtomicLongArray sent;

  /** Per patient, the number of its last reading acknowledged by ingest (-1: none yet). */
  private final AtomicIntegerArray lastAcked;

  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  // Why requests were retried: ingest's 429 (a source's rate), its 503 (Kafka unavailable), or no
  // answer at all.
  private final AtomicLong retried429 = new AtomicLong();
  private final AtomicLong retried503 = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final Map<String, Integer> rejections = new ConcurrentHashMap<>();
  private final List<Long> requestMillis =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean stopping = new AtomicBoolean();

  // Read by the score consumer thread only.
  private final long[] firstEnd;

  /** Per patient, the windows scored: bit n is the window ending in the run's n-th cadence. */
  private final long[] scoredMask;

  private long duplicates;
  private long revisions;

  /** From a window being due to its first score on risk.scores. */
  private final Latencies toScore = new Latencies();

  /** From a window being due to the first clinical alert it raised on the nurse's stream. */
  private final Latencies toNurse = new Latencies();

  private final AtomicLong reconnects = new AtomicLong();
  private final AtomicLong streamEnds = new AtomicLong();
  private final AtomicLong streamErrors = new AtomicLong();
  private final AtomicLong seenInListOnly = new AtomicLong();

  // Read by the live stream thread only.
  private final Set<String> alertsSeen = new HashSet<>();
  private final Set<Integer> sickAlerted = new HashSet<>();
  private final Set<Integer> stableAlerted = new HashSet<>();

  private PipelineBench(Options o) {
    this.o = o;
    this.interval = o.intervalMs();
    long wallPerReading = Math.max(1, Math.round(interval / o.speed));
    this.ring = (int) Math.min(512, Math.max(8, 300_000 / wallPerReading + 2));
    this.sickEvery = o.sick <= 0 ? Integer.MAX_VALUE : (int) Math.max(1, Math.round(1 / o.sick));
    this.sent = new AtomicLongArray(o.patients * ring);
    this.lastAcked = new AtomicIntegerArray(o.patients);
    for (int i = 0; i < o.patients; i++) {
      lastAcked.set(i, -1);
    }
    this.firstEnd = new long[o.patients];
    this.scoredMask = new long[o.patients];
    startClock(System.currentTimeMillis());
  }

  private void startClock(long wall) {
    wall0 = wall;
    event0 = wall0 - Math.round(o.seconds * 1000L * o.speed) - 6 * 60_000L;
  }

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] args) {
    System.exit(new CommandLine(new Cli()).execute(args));
  }

  /** The command line: runs the benchmark once and prints its figures. */
  @Command(
      name = "./vigil bench pipeline",
      description =
          "The whole pipeline on this machine under a sustained HTTP load, authentication on:"
              + " latency from a window being due to its score and to the nurse's live stream,"
              + " next to a raw producer's rate on the same broker (deploy/README.md).",
      exitCodeList = {
        "0:the run completed and its figures are printed",
        "1:the run failed: the broker or a service did not start (the error is printed)",
        "2:invalid command line: an unknown option or a value out of range"
      })
  static final class Cli implements Callable<Integer> {
    @Mixin private Usage usage;

    @Option(
        names = "--patients",
        paramLabel = "N",
        defaultValue = "2500",
        description = "Simulated patients, at least 1, each sending 4 vital signs at one interval.")
    private int patients;

    @Option(
        names = "--rate",
        paramLabel = "R",
        defaultValue = "10000",
        description = "Readings per second offered, at least 1.")
    private int rate;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        defaultValue = "180",
        description = "Seconds of load, at least 10.")
    private int seconds;

    @Option(
        names = "--speed",
        paramLabel = "X",
        defaultValue = "60",
        description = "How many times faster than the wall clock event time runs, above 0.")
    private double speed;

    @Option(
        names = "--clients",
        paramLabel = "C",
        defaultValue = "8",
        description = "Requests in flight, at least 1.")
    private int clients;

    @Option(
        names = "--sick",
        paramLabel = "F",
        defaultValue = "0.05",
        description = "Share of patients who deteriorate, at onsets spread over the run.")
    private double sick;

    @Option(
        names = "--cadence-minutes",
        paramLabel = "H",
        defaultValue = "15",
        description = "Scoring cadence: minutes of event time between window ends.")
    private int cadenceMinutes;

    @Option(
        names = "--grace-minutes",
        paramLabel = "G",
        defaultValue = "5",
        description = "Scoring grace after a window's end.")
    private int graceMinutes;

    @Option(
        names = "--warmup",
        paramLabel = "S",
        defaultValue = "30",
        description = "Windows due in the load's first S seconds are reported apart.")
    private int warmup;

    @Option(
        names = "--classpaths",
        paramLabel = "DIR",
        defaultValue = ".vigil/classpath",
        description =
            "Folder of the modules' class-path files the services start from, as ./vigil writes"
                + " them.")
    private Path classpaths;

    @Option(
        names = "--home",
        paramLabel = "DIR",
        defaultValue = ".vigil/bench",
        description = "State folder, emptied first.")
    private Path home;

    @Option(
        names = "--no-sasl",
        description =
            "Services reach Kafka without authentication (the figures are then not the"
                + " product's).")
    private boolean noSasl;

    @Override
    public Integer call() throws Exception {
      usage.require(patients >= 1, "--patients must be at least 1, got " + patients);
      usage.require(rate >= 1, "--rate must be at least 1, got " + rate);
      usage.require(seconds >= 10, "--seconds must be at least 10, got " + seconds);
      usage.require(speed > 0, "--speed must be above 0, got " + speed);
      usage.require(clients >= 1, "--clients must be at least 1, got " + clients);
      new PipelineBench(
              new Options(
                  patients,
                  rate,
                  seconds,
                  speed,
                  clients,
                  sick,
                  cadenceMinutes,
                  graceMinutes,
                  warmup,
                  classpaths.toAbsolutePath(),
                  home.toAbsolutePath(),
                  !noSasl))
          .run();
      return 0;
    }
  }

  private String patientId(int i) {
    return String.format(Locale.ROOT, "bench-%s-%07d", runId, i);
  }

  private int patientIndex(String id) {
    int dash = id.lastIndexOf('-');
    return dash < 0 ? -1 : Integer.parseInt(id.substring(dash + 1));
  }

  private boolean sick(int i) {
    return i % sickEvery == 0;
  }

  private long offset(int i) {
    return (long) (i * (double) interval / o.patients);
  }

  /** Event time of patient i's reading number k. */
  private long readingTime(int i, int k) {
    return event0 + offset(i) + k * interval;
  }

  /** When patient i starts to deteriorate, in event time; Long.MAX_VALUE when it does not. */
  private long onset(int i) {
    if (!sick(i)) {
      return Long.MAX_VALUE;
    }
    long total = Math.round(o.seconds * 1000L * o.speed);
    long warm = 2 * o.cadenceMs();
    if (total - warm - 3 * o.cadenceMs() <= 0) {
      // A run shorter than five windows of event time (a long real-time run, --speed 1): no room
      // for stable windows first, so deteriorating patients are sick from their first reading
      // and each of their due windows should raise an alert.
      return event0;
    }
    long span = total - warm - 3 * o.cadenceMs();
    int sickCount = (o.patients + sickEvery - 1) / sickEvery;
    int j = i / sickEvery;
    return event0 + warm + (long) (span * (j / (double) Math.max(1, sickCount)));
  }

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "pipeline benchmark: %,d patients, %,d readings/s offered for %d s (%d vitals every %s of"
            + " event time, event time x%.0f), cadence %d min, grace %d min, Kafka %s%n",
        o.patients,
        o.rate,
        o.seconds,
        VITALS.length,
        Duration.ofMillis(interval),
        o.speed,
        o.cadenceMinutes,
        o.graceMinutes,
        o.sasl ? "SASL (services authenticate)" : "without authentication");
    if (interval > o.cadenceMs()) {
      System.out.println(
          "warning: readings are further apart than the cadence: windows without readings are"
              + " skipped by design and counted here as missing");
    }
    deleteTree(o.home);
    Files.createDirectories(o.home);
    List<ServiceSpec> specs = new ArrayList<>();
    for (PipelineService service : List.of(INGEST, SCORING, ALERTS)) {
      specs.add(service.spec(o.classpaths).withPort(freePort()));
    }
    String saslPassword = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    LocalBroker broker =
        new LocalBroker(o.home.resolve("kafka"), "127.0.0.1", freePort(), freePort());
    if (o.sasl) {
      broker.withSaslListener(freePort(), Map.of("vigil", saslPassword));
    }
    List<ServiceProcess> services = new ArrayList<>();
    try (broker) {
      broker.start();
      Map<String, String> environment = new HashMap<>();
      Map<String, Object> clientSecurity = new HashMap<>();
      String servicesBootstrap = broker.bootstrapServers();
      if (o.sasl) {
        servicesBootstrap = broker.saslBootstrapServers();
        environment.put("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
        environment.put("KAFKA_SASL_USERNAME", "vigil");
        environment.put("KAFKA_SASL_PASSWORD", saslPassword);
        clientSecurity.put("security.protocol", "SASL_PLAINTEXT");
        clientSecurity.put("sasl.mechanism", "PLAIN");
        clientSecurity.put(
            "sasl.jaas.config",
            "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"vigil\""
                + " password=\""
                + saslPassword
                + "\";");
      }
      double raw = rawProducerRate(servicesBootstrap, clientSecurity);
      System.out.printf(Locale.ROOT, "raw producer baseline: %,.0f readings/s%n", raw);

      environment.put("SCORING_CADENCE_MINUTES", Integer.toString(o.cadenceMinutes));
      environment.put("SCORING_GRACE_MINUTES", Integer.toString(o.graceMinutes));
      environment.put("VIGIL_INGEST_MAX_PATIENTS", Integer.toString(Math.max(100_000, o.patients)));
      for (ServiceSpec spec : specs) {
        ServiceProcess process =
            ServiceProcess.start(spec, o.home, servicesBootstrap, environment, null);
        services.add(process);
        process.awaitReady();
        System.out.println(spec.name() + " ready on port " + spec.port());
      }
      Path demo = o.home.resolve("demo.env");
      String apiKey = Ward.DemoEnv.read(demo, "VIGIL_API_KEY").orElseThrow();
      String tenant = Ward.DemoEnv.read(demo, "VIGIL_TENANT").orElseThrow();
      URI ingest = URI.create("http://127.0.0.1:" + specs.get(0).port());
      URI alerts = URI.create("http://127.0.0.1:" + specs.get(2).port());

      Thread scores = daemon("bench-scores", () -> readScores(broker.bootstrapServers(), tenant));
      Thread stream =
          daemon(
              "bench-live",
              () ->
                  readLiveStream(
                      alerts,
                      Ward.DemoEnv.read(demo, "VIGIL_NURSE_USER").orElseThrow(),
                      Ward.DemoEnv.read(demo, "VIGIL_NURSE_PASSWORD").orElseThrow()));
      scores.start();
      stream.start();

      startClock(System.currentTimeMillis() + 2_000);
      Thread.sleep(2_000);
      Map<String, long[]> cpuBefore = cpu(services);
      long loadStart = System.currentTimeMillis();
      generate(ingest, apiKey);
      long loadEnd = System.currentTimeMillis();
      Map<String, long[]> cpuAfter = cpu(services);
      Map<String, long[]> memory = memory(services);
      System.out.println("load done; waiting for the last due windows to be scored");
      boolean complete = awaitComplete(Duration.ofSeconds(120));
      stopping.set(true);
      scores.join(10_000);
      stream.interrupt();
      stream.join(5_000);
      Map<String, Long> disk = new java.util.LinkedHashMap<>();
      for (String dir : List.of("scoring-state", "alerts", "kafka")) {
        disk.put(dir, diskUsage(o.home.resolve(dir)));
      }
      String streams = liveStreamMetrics(alerts);
      report(raw, loadStart, loadEnd, cpuBefore, cpuAfter, memory, disk, complete);
      System.out.println("live streams (alerts) " + streams);
      logScan(services);
    } finally {
      for (int i = services.size() - 1; i >= 0; i--) {
        services.get(i).stop();
      }
    }
  }

  private static Thread daemon(String name, ThrowingRunnable body) {
    Thread t =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (Exception e) {
                System.out.println(name + " stopped: " + e);
              }
            },
            name);
    t.setDaemon(true);
    return t;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  // --- the baseline ---------------------------------------------------------------------------

  /** Readings/s a plain producer writes to the broker, as ingest's producer is set up. */
  private double rawProducerRate(String bootstrap, Map<String, Object> security) throws Exception {
    Map<String, Object> common = new HashMap<>(security);
    common.put("bootstrap.servers", bootstrap);
    String topic = "bench.raw." + runId;
    try (Admin admin = Admin.create(common)) {
      admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
    }
    double rate = produce(common, topic);
    try (Admin admin = Admin.create(common)) {
      admin.deleteTopics(List.of(topic)).all().get(); // not counted in the pipeline's disk
    }
    return rate;
  }

  private double produce(Map<String, Object> common, String topic) {
    Map<String, Object> config = new HashMap<>(common);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    AvroSerde<PatientKey> keys = AvroSerde.of(PatientKey.class);
    AvroSerde<VitalObservation> values = AvroSerde.of(VitalObservation.class);
    AtomicLong acked = new AtomicLong();
    long end = System.currentTimeMillis() + RAW_SECONDS * 1000L;
    long start = System.currentTimeMillis();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (long n = 0; System.currentTimeMillis() < end; n++) {
        int i = (int) (n % o.patients);
        int v = (int) (n % VITALS.length);
        Instant time = Instant.ofEpochMilli(event0 + n);
        VitalObservation obs =
            VitalObservation.newBuilder()
                .setReadingId("raw-" + n)
                .setSourceId("bench")
                .setDeviceId(null)
                .setVital(VITALS[v])
                .setLoinc("8867-4")
                .setValue(STABLE[v])
                .setUnit(UNITS[v])
                .setTime(time)
                .setTimeReceived(Instant.now())
                .setOriginalValue(null)
                .setOriginalUnit(null)
                .build();
        producer.send(
            new ProducerRecord<>(
                topic, keys.encode(PatientKeys.of("bench", patientId(i))), values.encode(obs)),
            (metadata, error) -> {
              if (error == null) {
                acked.incrementAndGet();
              }
            });
      }
      producer.flush();
    }
    return acked.get() * 1000.0 / (System.currentTimeMillis() - start);
  }

  // --- the load --------------------------------------------------------------------------------

  private record Batch(int[] patients, int[] numbers, String body) {}

  /** Posts every reading as its event time comes, for the run's length. */
  private void generate(URI ingest, String apiKey) throws Exception {
    int perRequest = Math.max(VITALS.length, Math.min(4800, o.rate / 40 / VITALS.length * 4));
    int patientsPerRequest = Math.max(1, perRequest / VITALS.length);
    BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(o.clients * 4);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<Thread> senders = new ArrayList<>();
    Batch poison = new Batch(new int[0], new int[0], "");
    for (int c = 0; c < o.clients; c++) {
      Thread t =
          daemon(
              "bench-client-" + c,
              () -> {
                while (true) {
                  Batch b = queue.take();
                  if (b == poison) {
                    return;
                  }
                  post(http, ingest, apiKey, b);
                }
              });
      t.start();
      senders.add(t);
    }
    long end = wall0 + o.seconds * 1000L;
    long n = 0; // the n-th reading slot: patient n % P, number n / P, in event-time order
    List<Integer> ps = new ArrayList<>();
    List<Integer> ks = new ArrayList<>();
    StringBuilder body = new StringBuilder();
    long lastReport = System.currentTimeMillis();
    long acceptedAtReport = 0;
    while (System.currentTimeMillis() < end) {
      long now = System.currentTimeMillis();
      long eventNow = event0 + Math.round((now - wall0) * o.speed);
      while (true) {
        int i = (int) (n % o.patients);
        int k = (int) (n / o.patients);
        if (readingTime(i, k) > eventNow) {
          break;
        }
        if (ps.isEmpty()) {
          body.setLength(0);
          body.append("{\"readings\":[");
        } else {
          body.append(',');
        }
        appendReadings(body, i, k);
        ps.add(i);
        ks.add(k);
        n++;
        if (ps.size() >= patientsPerRequest) {
          queue.put(batch(ps, ks, body));
        }
      }
      if (!ps.isEmpty()) {
        queue.put(batch(ps, ks, body));
      }
      if (now - lastReport >= 10_000) {
        long a = accepted.get();
        System.out.printf(
            Locale.ROOT,
            "  %3d s: %,.0f readings/s accepted, %d requests queued; in the last 10 s due -> score"
                + " %s, due -> nurse %s; stream reconnects %d%n",
            (now - wall0) / 1000,
            (a - acceptedAtReport) * 1000.0 / (now - lastReport),
            queue.size(),
            toScore.recent(now - 10_000),
            toNurse.recent(now - 10_000),
            reconnects.get());
        lastReport = now;
        acceptedAtReport = a;
      }
      Thread.sleep(20);
    }
    for (int c = 0; c < o.clients; c++) {
      queue.put(poison);
    }
    for (Thread t : senders) {
      t.join(60_000);
    }
  }

  private static Batch batch(List<Integer> ps, List<Integer> ks, StringBuilder body) {
    Batch b =
        new Batch(
            ps.stream().mapToInt(Integer::intValue).toArray(),
            ks.stream().mapToInt(Integer::intValue).toArray(),
            body.append("]}").toString());
    ps.clear();
    ks.clear();
    return b;
  }

  private void appendReadings(StringBuilder body, int i, int k) {
    long t = readingTime(i, k);
    boolean worse = t >= onset(i);
    String id = patientId(i);
    String time = Instant.ofEpochMilli(t).toString();
    for (int v = 0; v < VITALS.length; v++) {
      double value = worse ? SICK[v] : STABLE[v] + (v == 0 || v == 3 ? i % 5 : 0);
      if (v > 0) {
        body.append(',');
      }
      body.append("{\"id\":\"")
          .append(id)
          .append('-')
          .append(k)
          .append('-')
          .append(v)
          .append("\",\"patientId\":\"")
          .append(id)
          .append("\",\"code\":\"")
          .append(CODES[v])
          .append("\",\"value\":")
          .append(value)
          .append(",\"unit\":\"")
          .append(UNITS[v])
          .append("\",\"time\":\"")
          .append(time)
          .append("\"}");
    }
  }

  private void post(HttpClient http, URI ingest, String apiKey, Batch b) throws Exception {
    for (int attempt = 1; attempt <= 20; attempt++) {
      long start = System.currentTimeMillis();
      HttpResponse<String> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(ingest.resolve("/v1/observations"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + apiKey)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(b.body()))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        retried.incrementAndGet();
        Thread.sleep(500);
        continue;
      }
      requests.incrementAndGet();
      requestMillis.add(System.currentTimeMillis() - start);
      int status = response.statusCode();
      if (status == 429 || status == 503) {
        retried.incrementAndGet();
        (status == 429 ? retried429 : retried503).incrementAndGet();
        long wait = response.headers().firstValueAsLong("Retry-After").orElse(1) * 1000L;
        Thread.sleep(Math.min(wait, 5_000));
        continue;
      }
      if (status / 100 != 2) {
        failed.incrementAndGet();
        if (failed.get() <= 5) {
          System.out.println("ingest answered " + status + ": " + response.body());
        }
        return;
      }
      JsonNode answer = JSON.readTree(response.body());
      accepted.addAndGet(answer.path("accepted").asLong());
      Set<Integer> refused = new HashSet<>();
      for (JsonNode r : answer.path("rejected")) {
        rejected.incrementAndGet();
        rejections.merge(r.path("reason").asText(), 1, Integer::sum);
        refused.add(r.path("index").asInt() / VITALS.length);
      }
      long sentAt = start - wall0;
      for (int j = 0; j < b.patients().length; j++) {
        if (refused.contains(j)) {
          continue;
        }
        int i = b.patients()[j];
        int k = b.numbers()[j];
        sent.set(i * ring + k % ring, ((long) k << K_SHIFT) | (sentAt & WALL_MASK));
        lastAcked.accumulateAndGet(i, k, Math::max);
      }
      return;
    }
    failed.incrementAndGet();
  }

  /**
   * When window {@code end} of patient i became due: the send time of the first reading past its
   * end plus the grace, or, if earlier, the moment the grace had passed in real time since the
   * reading before it was sent (scoring closes a live patient's window on the wall clock, without
   * waiting for the next reading; in a real-time run that moment is the window's end plus the grace
   * itself); -1 while the reading past it is not yet acknowledged, -2 when it is no longer kept.
   */
  private long dueAt(int i, long end) {
    long due = end + o.graceMs();
    long k = Math.max(0, ceilDiv(due - event0 - offset(i), interval));
    if (readingTime(i, (int) k) == due) {
      k++; // a reading exactly at the due time does not pass it
    }
    long passing = sentAt(i, k);
    if (passing < 0 || k == 0) {
      return passing;
    }
    long before = sentAt(i, k - 1);
    return before < 0 ? passing : Math.min(passing, before + (due - readingTime(i, (int) k - 1)));
  }

  /**
   * Wall-clock time reading number k of patient i was sent, -1 while it is not acknowledged, -2
   * when it is no longer kept.
   */
  private long sentAt(int i, long k) {
    long slot = sent.get(i * ring + (int) (k % ring));
    long kept = slot >>> K_SHIFT;
    if (slot == 0 || kept < k) {
      return -1;
    }
    if (kept > k) {
      return -2;
    }
    return wall0 + (slot & WALL_MASK);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  // --- what comes out ---------------------------------------------------------------------------

  private void readScores(String bootstrap, String tenant) throws Exception {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    AvroSerde<PatientKey> keys = AvroSerde.of(PatientKey.class);
    AvroSerde<RiskScore> values = AvroSerde.of(RiskScore.class);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(
          consumer.partitionsFor(Topics.RISK_SCORES.name()).stream()
              .map(
                  info ->
                      new org.apache.kafka.common.TopicPartition(info.topic(), info.partition()))
              .toList());
      while (!stopping.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          long arrived = System.currentTimeMillis();
          PatientKey key = keys.decode(r.key());
          if (!tenant.equals(key.getTenant())) {
            continue;
          }
          int i = patientIndex(key.getPatientId());
          if (i < 0 || i >= o.patients || !key.getPatientId().equals(patientId(i))) {
            continue;
          }
          RiskScore score = values.decode(r.value());
          if (score.getRevision() > 0) {
            revisions++;
            continue;
          }
          long end = score.getWindowEnd().toEpochMilli();
          if (firstEnd[i] == 0 || end < firstEnd[i]) {
            firstEnd[i] = end;
          }
          int slot = (int) Math.floorDiv(end - event0, o.cadenceMs());
          if (slot >= 0 && slot < 64) {
            if ((scoredMask[i] & (1L << slot)) != 0) {
              duplicates++;
            }
            scoredMask[i] |= 1L << slot;
          }
          toScore.add(i, end, arrived);
        }
        toScore.resolve(false);
      }
      toScore.resolve(true);
    }
  }

  /**
   * Windows arrived at one end of the pipeline, waiting until the send of the reading that made
   * them due is acknowledged, and their latencies once it is: those due in the warm-up apart, and
   * the recent ones for the progress lines. Shared by the thread that reads and the one that
   * reports.
   */
  private final class Latencies {
    private final List<long[]> pending = new ArrayList<>();
    private final List<Long> steady = new ArrayList<>();
    private final List<Long> warm = new ArrayList<>();
    private final List<long[]> recent = new ArrayList<>();
    private long unknown;

    /** Window {@code end} of patient i arrived at {@code arrived} (wall clock). */
    synchronized void add(int i, long end, long arrived) {
      pending.add(new long[] {i, end, arrived});
    }

    /**
     * Turns pending windows into latencies once their due time is known; {@code last}: or never.
     */
    synchronized void resolve(boolean last) {
      List<long[]> still = new ArrayList<>();
      for (long[] e : pending) {
        long due = dueAt((int) e[0], e[1]);
        if (due >= 0 && due < wall0 + o.warmup() * 1000L) {
          warm.add(e[2] - due);
        } else if (due >= 0) {
          steady.add(e[2] - due);
          recent.add(new long[] {e[2], e[2] - due});
        } else if (due == -2 || last) {
          unknown++;
        } else {
          still.add(e);
        }
      }
      pending.clear();
      pending.addAll(still);
    }

    /** The median and largest latency of the windows that arrived since {@code since}. */
    synchronized String recent(long since) {
      recent.removeIf(r -> r[0] < since);
      if (recent.isEmpty()) {
        return "none arrived";
      }
      long[] values = recent.stream().mapToLong(r -> r[1]).sorted().toArray();
      return String.format(
          Locale.ROOT,
          "p50 %,d ms, max %,d ms (n=%,d)",
          values[values.length / 2],
          values[values.length - 1],
          values.length);
    }

    /** Two lines: the steady figures, and those of windows due in the warm-up. */
    synchronized String report() {
      return percentiles(steady)
          + unknown(unknown)
          + "\n  (windows due in the first "
          + o.warmup()
          + " s: "
          + percentiles(warm)
          + ")";
    }
  }

  /**
   * Holds the nurse's alert stream open as the nurse UI holds its stream: when the service ends it
   * or the connection fails, it reconnects (signing in again when the session is gone) and, like
   * the UI on its {@code ready} event, re-reads the alert list, where alerts raised while it was
   * away are counted but not timed. Latencies come only from {@code alert} events that arrived.
   */
  private void readLiveStream(URI alerts, String user, String password) throws Exception {
    HttpClient http =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    boolean signedIn = false;
    boolean first = true;
    while (!stopping.get()) {
      try {
        if (!signedIn) {
          HttpResponse<String> login = NurseSignIn.post(http, alerts, user, password);
          if (login.statusCode() != 200) {
            throw new IOException("nurse sign-in answered " + login.statusCode());
          }
          signedIn = true;
        }
        HttpResponse<InputStream> stream =
            http.send(
                HttpRequest.newBuilder(alerts.resolve("/api/stream?events=alert")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() == 401) {
          stream.body().close();
          signedIn = false;
          throw new IOException("the live stream answered 401");
        }
        if (stream.statusCode() != 200) {
          stream.body().close();
          throw new IOException("the live stream answered " + stream.statusCode());
        }
        readEvents(stream.body(), http, alerts, first);
        first = false;
        if (!stopping.get()) {
          streamEnds.incrementAndGet();
          System.out.println("live stream ended by the service; reconnecting");
        }
      } catch (IOException e) {
        if (stopping.get()) {
          return;
        }
        streamErrors.incrementAndGet();
        System.out.println("live stream failed (" + e.getMessage() + "); reconnecting");
      }
      if (!stopping.get()) {
        Thread.sleep(1_000); // about what a browser's EventSource waits
      }
    }
  }

  private void readEvents(InputStream body, HttpClient http, URI alerts, boolean first)
      throws IOException, InterruptedException {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      String event = "";
      String line;
      while (!stopping.get() && (line = lines.readLine()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring(6).trim();
          if (event.equals("ready") && !first) {
            reconnects.incrementAndGet();
            readAlertList(http, alerts);
          }
        } else if (line.startsWith("data:") && event.equals("alert")) {
          onAlert(JSON.readTree(line.substring(5).trim()), System.currentTimeMillis());
        } else if (line.isEmpty()) {
          event = "";
        }
        toNurse.resolve(false);
      }
    }
  }

  /**
   * What the alerts service says of its live streams: events sent and those replaced by a newer
   * state while unsent (the client was behind), and streams it ended.
   */
  private static String liveStreamMetrics(URI alerts) {
    try {
      String metrics =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(alerts.resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      return String.format(
          Locale.ROOT,
          "%.0f alert and %.0f patient events sent, %.0f and %.0f replaced by a newer state while"
              + " unsent; %.0f streams ended for falling too far behind",
          sample(metrics, "vigil_alerts_live_events_sent_total{event=\"alert\"}"),
          sample(metrics, "vigil_alerts_live_events_sent_total{event=\"patient\"}"),
          sample(metrics, "vigil_alerts_live_events_conflated_total{event=\"alert\"}"),
          sample(metrics, "vigil_alerts_live_events_conflated_total{event=\"patient\"}"),
          sample(metrics, "vigil_alerts_live_streams_ended_total{reason=\"too_far_behind\"}"));
    } catch (IOException e) {
      return "not read: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "not read: interrupted";
    }
  }

  /** The value of one series in Prometheus text; NaN when it is not there. */
  private static double sample(String metrics, String series) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return Double.NaN;
  }

  /** The alert list after a reconnect: alerts first seen here are counted, not timed. */
  private void readAlertList(HttpClient http, URI alerts) throws IOException, InterruptedException {
    HttpResponse<String> list =
        http.send(
            HttpRequest.newBuilder(alerts.resolve("/api/alerts")).build(),
            HttpResponse.BodyHandlers.ofString());
    if (list.statusCode() != 200) {
      throw new IOException("the alert list answered " + list.statusCode());
    }
    for (JsonNode card : JSON.readTree(list.body())) {
      JsonNode a = card.path("alert");
      if (a.isObject() && !alertsSeen.contains(a.path("alertId").asText())) {
        int before = sickAlerted.size() + stableAlerted.size();
        onAlert(a, -1);
        if (sickAlerted.size() + stableAlerted.size() > before) {
          seenInListOnly.incrementAndGet();
        }
      }
    }
  }

  private void onAlert(JsonNode a, long arrived) {
    if (!"CLINICAL".equals(a.path("category").asText())
        || !alertsSeen.add(a.path("alertId").asText())) {
      return;
    }
    String patient = a.path("patient").asText();
    String id = patient.substring(patient.indexOf('/') + 1);
    int i = patientIndex(id);
    if (i < 0 || i >= o.patients || !id.equals(patientId(i))) {
      return;
    }
    if (!sick(i)) {
      stableAlerted.add(i);
      return;
    }
    if (!sickAlerted.add(i) || a.path("windowEnd").isNull() || arrived < 0) {
      return;
    }
    long end = Instant.parse(a.path("windowEnd").asText()).toEpochMilli();
    toNurse.add(i, end, arrived);
  }

  // --- completeness ---------------------------------------------------------------------------

  /** Windows of patient i that were due by its last acknowledged reading, from its first score. */
  private long dueWindows(int i) {
    int k = lastAcked.get(i);
    if (k < 0) {
      return 0;
    }
    long lastTime = readingTime(i, k);
    if (firstEnd[i] == 0) {
      long first = readingTime(i, 0);
      return Math.max(0, (lastTime - o.graceMs() - first) / o.cadenceMs());
    }
    long lastDue = lastTime - o.graceMs() - 1; // a window is due once a reading passes end + grace
    if (lastDue < firstEnd[i]) {
      return 0;
    }
    return (lastDue - firstEnd[i]) / o.cadenceMs() + 1;
  }

  private long missing() {
    long missing = 0;
    for (int i = 0; i < o.patients; i++) {
      missing += Math.max(0, dueWindows(i) - scoredThrough(i));
    }
    return missing;
  }

  /** Windows of patient i scored that end no later than its last due window. */
  private long scoredThrough(int i) {
    int k = lastAcked.get(i);
    if (k < 0 || firstEnd[i] == 0) {
      return 0;
    }
    long lastDue = readingTime(i, k) - o.graceMs() - 1;
    long mask = scoredMask[i];
    long n = 0;
    for (int slot = 0; slot < 64; slot++) {
      long end =
          firstEnd[i] + (slot - Math.floorDiv(firstEnd[i] - event0, o.cadenceMs())) * o.cadenceMs();
      if ((mask & (1L << slot)) != 0 && end <= lastDue) {
        n++;
      }
    }
    return n;
  }

  private boolean awaitComplete(Duration atMost) throws InterruptedException {
    long deadline = System.currentTimeMillis() + atMost.toMillis();
    while (System.currentTimeMillis() < deadline) {
      Thread.sleep(2_000);
      if (missing() == 0) {
        return true;
      }
    }
    return false;
  }

  // --- the report -------------------------------------------------------------------------------

  private void report(
      double raw,
      long loadStart,
      long loadEnd,
      Map<String, long[]> cpuBefore,
      Map<String, long[]> cpuAfter,
      Map<String, long[]> memory,
      Map<String, Long> disk,
      boolean complete) {
    double seconds = (loadEnd - loadStart) / 1000.0;
    double rate = accepted.get() / seconds;
    long due = 0;
    long scored = 0;
    long neverScored = 0;
    for (int i = 0; i < o.patients; i++) {
      due += dueWindows(i);
      scored += Math.min(scoredThrough(i), dueWindows(i));
      if (firstEnd[i] == 0 && lastAcked.get(i) >= 0) {
        neverScored++;
      }
    }
    System.out.println();
    System.out.println("=== pipeline benchmark ===");
    System.out.printf(
        Locale.ROOT,
        "patients %,d; offered %,d readings/s for %.0f s; event time x%.0f; cadence %d min%n",
        o.patients,
        o.rate,
        seconds,
        o.speed,
        o.cadenceMinutes);
    System.out.printf(
        Locale.ROOT,
        "accepted over HTTP   %,12.0f readings/s  (%.2f of the raw producer's %,.0f/s)%n",
        rate,
        rate / raw,
        raw);
    System.out.printf(
        Locale.ROOT,
        "requests             %,12d  (retried %d: %d answered 429, %d answered 503, %d unanswered;"
            + " failed %d; readings rejected %d %s)%n",
        requests.get(),
        retried.get(),
        retried429.get(),
        retried503.get(),
        retried.get() - retried429.get() - retried503.get(),
        failed.get(),
        rejected.get(),
        rejections);
    System.out.println("request time         " + percentiles(new ArrayList<>(requestMillis)));
    System.out.println("due -> risk score    " + toScore.report());
    System.out.println("due -> nurse's SSE   " + toNurse.report());
    System.out.printf(
        Locale.ROOT,
        "nurse's live stream  %d reconnects (%d ended by the service, %d failed); %d alerts"
            + " first seen in the alert list after a reconnect (not timed)%n",
        reconnects.get(),
        streamEnds.get(),
        streamErrors.get(),
        seenInListOnly.get());
    System.out.printf(
        Locale.ROOT,
        "windows              %,d due, %,d scored (%s), %,d first scores repeated, %,d"
            + " revisions; patients never scored %d%n",
        due,
        scored,
        complete ? "every due window" : (due - scored) + " MISSING",
        duplicates,
        revisions,
        neverScored);
    int sickCount = (o.patients + sickEvery - 1) / sickEvery;
    System.out.printf(
        Locale.ROOT,
        "alerts               %d of %d deteriorating patients alerted; %d of %d stable patients"
            + " alerted%n",
        sickAlerted.size(),
        o.sick <= 0 ? 0 : sickCount,
        stableAlerted.size(),
        o.patients - (o.sick <= 0 ? 0 : sickCount));
    System.out.println("process              cpu (cores)   resident MiB   peak MiB");
    for (String name : cpuAfter.keySet()) {
      long[] before = cpuBefore.get(name);
      long[] after = cpuAfter.get(name);
      long[] mem = memory.get(name);
      System.out.printf(
          Locale.ROOT,
          "  %-18s %8.2f %14d %10d%n",
          name,
          (after[0] - before[0]) / 100.0 / seconds,
          mem[0] / 1024,
          mem[1] / 1024);
    }
    for (Map.Entry<String, Long> d : disk.entrySet()) {
      long bytes = d.getValue();
      System.out.printf(
          Locale.ROOT,
          "disk %-14s %,10.1f MiB  %,8.1f KiB per patient (with the stores' fixed size)%n",
          d.getKey(),
          bytes / 1048576.0,
          bytes / 1024.0 / o.patients);
    }
  }

  /** What each service logged at ERROR or WARN during the run: counts and the first errors. */
  private static void logScan(List<ServiceProcess> services) {
    for (ServiceProcess s : services) {
      List<String> lines = s.output();
      long errors = lines.stream().filter(l -> l.contains(" ERROR ")).count();
      long warnings = lines.stream().filter(l -> l.contains(" WARN ")).count();
      System.out.printf(
          Locale.ROOT,
          "log %-8s %d lines, %d ERROR, %d WARN%n",
          s.name(),
          lines.size(),
          errors,
          warnings);
      lines.stream()
          .filter(l -> l.contains(" ERROR ") || l.contains(" WARN "))
          .map(l -> l.replaceFirst("^\\S+ ", "")) // the time: the same message once
          .distinct()
          .limit(6)
          .forEach(l -> System.out.println("    " + shorten(l)));
    }
  }

  /** A log line without the Kafka clients' long client and transactional ids. */
  private static String shorten(String line) {
    String s = line.replaceAll("\\[Producer clientId=[^\\]]*\\]", "[producer]");
    s = s.replaceAll("vigil-(scoring|alerts)-[0-9a-f-]{36}-", "vigil-$1-");
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String unknown(long n) {
    return n == 0 ? "" : "  (" + n + " without a known due time)";
  }

  private static String percentiles(List<Long> values) {
    if (values.isEmpty()) {
      return "no samples";
    }
    long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
    return String.format(
        Locale.ROOT,
        "n=%,d  p50 %,d ms  p99 %,d ms  max %,d ms",
        v.length,
        v[(int) Math.min(v.length - 1, Math.floor(v.length * 0.50))],
        v[(int) Math.min(v.length - 1, Math.floor(v.length * 0.99))],
        v[v.length - 1]);
  }

  /** CPU ticks (user + system) of each service and of this process (broker and load). */
  private static Map<String, long[]> cpu(List<ServiceProcess> services) throws IOException {
    Map<String, long[]> out = new java.util.LinkedHashMap<>();
    for (ServiceProcess s : services) {
      out.put(s.name(), new long[] {ticks(s.pid())});
    }
    out.put("broker + load", new long[] {ticks(ProcessHandle.current().pid())});
    return out;
  }

  private static long ticks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Resident and peak resident memory (KiB) of each service and of this process. */
  private static Map<String, long[]> memory(List<ServiceProcess> services) throws IOException {
    Map<String, long[]> out = new java.util.LinkedHashMap<>();
    for (ServiceProcess s : services) {
      out.put(s.name(), rss(s.pid()));
    }
    out.put("broker + load", rss(ProcessHandle.current().pid()));
    return out;
  }

  private static long[] rss(long pid) throws IOException {
    long rss = 0;
    long peak = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", ""));
      } else if (line.startsWith("VmHWM:")) {
        peak = Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return new long[] {rss, peak};
  }

  /** Bytes the folder takes on disk (du: blocks in use, not the sparse files' lengths). */
  private static long diskUsage(Path dir) throws IOException, InterruptedException {
    if (!Files.exists(dir)) {
      return 0;
    }
    Process du = new ProcessBuilder("du", "-sk", dir.toString()).redirectErrorStream(true).start();
    String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    du.waitFor();
    return Long.parseLong(out.split("\\s+")[0]) * 1024;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
