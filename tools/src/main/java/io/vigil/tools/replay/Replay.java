package io.vigil.tools.replay;

import io.vigil.tools.cli.Usage;
import io.vigil.tools.physionet.PhysioNetData;
import io.vigil.tools.physionet.PhysioNetStay;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Replays PhysioNet 2019 stays through the ingest HTTP API so that real ICU data flows through the
 * live pipeline.
 *
 * <p>{@link Cli} is the command line ({@code ./vigil replay --help}): {@code Replay DIR --api-key
 * KEY [options]}, DIR a folder of {@code .psv} files or the set's {@code .tar.gz}.
 *
 * <p>Mapping (see {@link PhysioNetStay}): each stay becomes patient {@code <prefix><stay id>} of
 * the API key's tenant. Its context is put first ({@code PUT /v1/patients/{id}}: care team, age in
 * whole years, sex, {@code monitoringStart} = S); then every plausible vital of row ICULOS = k is
 * posted ({@code POST /v1/observations}) with time {@code S + (k-1) h + 30 min}, reading id {@code
 * <stay>-<k>-<vital>}, device {@code physionet2019}. S is {@code --start} (a whole hour), by
 * default the current hour minus 15 days: every stay of set A (at most 336 h) then lies in the past
 * and inside ingest's default 30-day age limit. Pass {@code --start} to make a replay repeatable;
 * the same start gives the same readings, and scoring deduplicates by reading id. Every context is
 * put before the first reading is posted.
 *
 * <p>Requests ({@link #post}):
 *
 * <ul>
 *   <li>{@code --batch N}: readings per request (default 1000).
 *   <li>{@code --order stays} (default): one stay after the other, each in event-time order; a
 *       request holds readings of one stay only. {@code --order time}: the readings of all selected
 *       stays interleaved by event time, as a live ward sends them (requests are cut from the
 *       time-ordered union of all stays' readings; equal times go stay by stay, in the order the
 *       stays were read).
 *   <li>{@code --concurrency N}: requests in flight at once (default 1: each request is sent once
 *       the previous one was answered). Request {@code i} is sent only after every request up to
 *       {@code i - N} was answered, so a request can be overtaken by at most the {@code N - 1}
 *       requests after it, however slowly ingest answers one of them.
 *   <li>{@code --shuffle K} (default 1: in order) and {@code --seed}: requests are sent in a seeded
 *       random order in which each one moves at most {@code K - 1} places from its place in the
 *       order above, to exercise scoring's handling of late readings.
 * </ul>
 *
 * <p>The replay fails (an exception, a non-zero exit) on the first request ingest answers with
 * anything but 2xx (after {@link IngestClient}'s retries of 429 and 503) and when ingest accepted
 * fewer readings than a request held; no reading is silently dropped. At the end it prints how far,
 * at most, a reading may arrive behind a later reading of the same patient given the order and the
 * concurrency ({@link Result#maxBehind}); scoring revises windows for readings up to its allowed
 * lateness (24 h by default) behind the patient's latest reading and rejects older ones as {@code
 * TOO_LATE}, so keep that figure below the allowed lateness. The windows after a stay's last
 * reading are scored once the patient's event-time clock passes them: by a later reading of the
 * patient, or by scoring's idle closure once readings of other patients on the same partition moved
 * past them.
 */
public final class Replay {
  /** How readings are cut into requests. */
  public enum Order {
    /** One stay after the other; a request holds one stay's readings. */
    STAYS,
    /** All stays' readings interleaved by event time. */
    TIME
  }

  /**
   * What to replay and how to send it.
   *
   * @param prefix patient id prefix: stay {@code pNNNNNN} becomes {@code <prefix>pNNNNNN}
   * @param careTeam care team of every replayed patient
   * @param start monitoring start S of every stay, a whole hour
   * @param batch readings per request, at least 1
   * @param order how readings are cut into requests
   * @param concurrency requests in flight at once, at least 1
   * @param shuffle largest displacement of a request from its place, plus one; 1 keeps the order
   * @param seed seed of the shuffle
   */
  public record Options(
      String prefix,
      String careTeam,
      Instant start,
      int batch,
      Order order,
      int concurrency,
      int shuffle,
      long seed) {
    public Options {
      if (batch < 1 || concurrency < 1 || shuffle < 1) {
        throw new IllegalArgumentException(
            "batch, concurrency and shuffle must be at least 1, got "
                + batch
                + ", "
                + concurrency
                + ", "
                + shuffle);
      }
    }

    /**
     * Prefix {@code physionet-}, team {@code icu-replay}, batches of 1000, stay by stay, serial.
     */
    public static Options defaults(Instant start) {
      return new Options("physionet-", "icu-replay", start, 1000, Order.STAYS, 1, 1, 1);
    }

    public Options withPrefix(String value) {
      return new Options(value, careTeam, start, batch, order, concurrency, shuffle, seed);
    }

    public Options withCareTeam(String value) {
      return new Options(prefix, value, start, batch, order, concurrency, shuffle, seed);
    }

    public Options withBatch(int value) {
      return new Options(prefix, careTeam, start, value, order, concurrency, shuffle, seed);
    }

    public Options withOrder(Order value) {
      return new Options(prefix, careTeam, start, batch, value, concurrency, shuffle, seed);
    }

    public Options withConcurrency(int value) {
      return new Options(prefix, careTeam, start, batch, order, value, shuffle, seed);
    }

    /** Shuffled within {@code horizon} places (1: in order), with the given seed. */
    public Options withShuffle(int horizon, long value) {
      return new Options(prefix, careTeam, start, batch, order, concurrency, horizon, value);
    }
  }

  /**
   * One reading as posted.
   *
   * @param patientId the patient it is posted for
   * @param time its event time
   * @param json its item in the request body
   */
  public record Item(String patientId, Instant time, String json) {}

  /**
   * The readings of one request.
   *
   * @param index place of the request in the order before any shuffle, from 0
   * @param items readings, in the order they are posted
   */
  public record Batch(int index, List<Item> items) {
    public Batch {
      items = List.copyOf(items);
    }

    /** The request body, {@code {"readings": [...]}}. */
    public String body() {
      StringBuilder body = new StringBuilder("{\"readings\":[");
      for (int i = 0; i < items.size(); i++) {
        body.append(i == 0 ? "" : ",").append(items.get(i).json());
      }
      return body.append("]}").toString();
    }
  }

  /**
   * What a replay sent.
   *
   * @param requests readings requests answered 2xx
   * @param readings readings sent, each accepted by ingest
   * @param maxBehind the most any reading may arrive behind a reading of the same patient with a
   *     later event time, given the order of the requests and the concurrency: the largest
   *     difference between a reading's time and the latest time of its patient in the requests sent
   *     before it or at most {@code concurrency - 1} places after it; zero when requests cannot
   *     overtake readings of the same patient
   */
  public record Result(long requests, long readings, Duration maxBehind) {}

  private final IngestClient ingest;

  public Replay(URI ingest, String apiKey) {
    this(new IngestClient(ingest, apiKey));
  }

  public Replay(IngestClient ingest) {
    this.ingest = ingest;
  }

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] argv) {
    System.exit(new CommandLine(new Cli()).execute(argv));
  }

  /** The command line: replays a PhysioNet folder through ingest and prints what it sent. */
  @Command(
      name = "./vigil replay",
      description =
          "Replays PhysioNet 2019 stays through ingest's HTTP API into the live pipeline: each"
              + " stay's context first, then its readings (tools/README.md).",
      exitCodeList = {
        "0:every reading was accepted by ingest",
        "1:the replay failed: a request not answered 2xx, or fewer readings accepted than sent",
        "2:invalid command line: an unknown or missing option, or a value out of range"
      })
  public static final class Cli implements Callable<Integer> {
    @Mixin private Usage usage;

    @Mixin private PhysioNetData data;

    @Mixin private IngestOption ingest;

    @Option(
        names = "--api-key",
        paramLabel = "KEY",
        required = true,
        description = "Platform API key with the write scope; the stays become its tenant's.")
    private String apiKey;

    @Option(
        names = "--start",
        paramLabel = "ISO-8601",
        description =
            "Monitoring start S of every stay, a whole hour; the same start gives the same"
                + " readings. Default: the current hour minus 15 days.")
    private Instant start;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "Replay only the first N stays, 0 or more. Default: every stay.")
    private Integer limit;

    @Option(
        names = "--prefix",
        paramLabel = "PREFIX",
        defaultValue = "physionet-",
        description = "Patient id prefix: stay pNNNNNN becomes PREFIXpNNNNNN.")
    private String prefix;

    @Option(
        names = "--care-team",
        paramLabel = "ID",
        defaultValue = "icu-replay",
        description = "Care team of every replayed patient.")
    private String careTeam;

    @Option(
        names = "--batch",
        paramLabel = "N",
        defaultValue = "1000",
        description = "Readings per request, at least 1.")
    private int batch;

    @Option(
        names = "--order",
        paramLabel = "stays|time",
        defaultValue = "stays",
        converter = OrderOption.class,
        description =
            "stays: one stay after the other; time: all stays' readings interleaved by event"
                + " time, as a live ward sends them.")
    private Order order;

    @Option(
        names = "--concurrency",
        paramLabel = "N",
        defaultValue = "1",
        description = "Requests in flight at once, at least 1.")
    private int concurrency;

    @Option(
        names = "--shuffle",
        paramLabel = "K",
        defaultValue = "1",
        description =
            "Send requests in a seeded random order, each at most K - 1 places from its own;"
                + " 1 keeps the order.")
    private int shuffle;

    @Option(
        names = "--seed",
        paramLabel = "N",
        defaultValue = "1",
        description = "Seed of the shuffle.")
    private long seed;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Options options = options();
      List<PhysioNetStay> stays = data.read().stays();
      List<PhysioNetStay> selected =
          stays.subList(0, limit == null ? stays.size() : Math.min(limit, stays.size()));
      Result result = new Replay(ingest.client(apiKey)).replay(selected, options);
      System.out.printf(
          Locale.ROOT,
          "replayed %d stays, %d readings in %d requests (order %s, batch %d, concurrency %d,"
              + " shuffle %d), monitoring start %s; a reading arrives at most %s behind a later"
              + " one of its patient%n",
          selected.size(),
          result.readings(),
          result.requests(),
          options.order().name().toLowerCase(Locale.ROOT),
          options.batch(),
          options.concurrency(),
          options.shuffle(),
          options.start(),
          result.maxBehind());
      return 0;
    }

    /** The command line's options, validated: a value out of range is a usage error. */
    private Options options() {
      atLeast("--batch", batch, 1);
      atLeast("--concurrency", concurrency, 1);
      atLeast("--shuffle", shuffle, 1);
      if (limit != null) {
        atLeast("--limit", limit, 0);
      }
      return Options.defaults(start != null ? start : defaultStart(Instant.now()))
          .withPrefix(prefix)
          .withCareTeam(careTeam)
          .withBatch(batch)
          .withOrder(order)
          .withConcurrency(concurrency)
          .withShuffle(shuffle, seed);
    }

    private void atLeast(String option, int value, int least) {
      usage.require(value >= least, option + " must be at least " + least + ", got " + value);
    }
  }

  /** {@code --order} by its lower-case name. */
  static final class OrderOption implements ITypeConverter<Order> {
    @Override
    public Order convert(String value) {
      for (Order order : Order.values()) {
        if (order.name().equalsIgnoreCase(value)) {
          return order;
        }
      }
      throw new TypeConversionException("expected stays or time, got " + value);
    }
  }

  /** The default monitoring start: the hour of {@code now} minus 15 days. */
  public static Instant defaultStart(Instant now) {
    return now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(15));
  }

  /**
   * Puts every stay's context, then posts all their readings as {@code options} say; returns once
   * ingest acknowledged every request.
   */
  public Result replay(List<PhysioNetStay> stays, Options options)
      throws IOException, InterruptedException {
    admit(stays, options);
    Iterator<Batch> batches =
        batches(stays, options.prefix(), options.start(), options.batch(), options.order());
    if (options.shuffle() > 1) {
      batches = shuffle(batches, options.shuffle(), new Random(options.seed()));
    }
    return post(batches, options.concurrency());
  }

  /** Puts each stay's context, at most {@code options.concurrency()} requests in flight. */
  public void admit(List<PhysioNetStay> stays, Options options)
      throws IOException, InterruptedException {
    List<Request> puts = new ArrayList<>(stays.size());
    for (PhysioNetStay stay : stays) {
      String patient = options.prefix() + stay.id();
      String body = ReplayJson.context(options.careTeam(), stay.age(), stay.sex(), options.start());
      puts.add(new Request("context of " + patient, () -> ingest.putPatient(patient, body)));
    }
    send(puts.iterator(), options.concurrency());
  }

  /**
   * Cuts the stays' readings, mapped to event time from {@code start}, into requests of at most
   * {@code batch} readings, in {@code order}.
   */
  public static Iterator<Batch> batches(
      List<PhysioNetStay> stays, String prefix, Instant start, int batch, Order order) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
    Iterator<Item> items =
        order == Order.STAYS ? byStay(stays, prefix, start) : byTime(stays, prefix, start);
    return new Iterator<>() {
      private int index;
      private Item pending;

      @Override
      public boolean hasNext() {
        return pending != null || items.hasNext();
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        List<Item> out = new ArrayList<>(Math.min(batch, 4096));
        out.add(pending != null ? pending : items.next());
        pending = null;
        while (out.size() < batch && items.hasNext()) {
          Item item = items.next();
          if (order == Order.STAYS && !item.patientId().equals(out.get(0).patientId())) {
            pending = item;
            break;
          }
          out.add(item);
        }
        return new Batch(index++, out);
      }
    };
  }

  private static Iterator<Item> byStay(List<PhysioNetStay> stays, String prefix, Instant start) {
    return new Iterator<>() {
      private int stay;
      private Iterator<Item> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && stay < stays.size()) {
          current = items(stays.get(stay++), prefix, start).iterator();
        }
        return current.hasNext();
      }

      @Override
      public Item next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** The time-ordered union of the stays' readings; equal times stay by stay, in list order. */
  private static Iterator<Item> byTime(List<PhysioNetStay> stays, String prefix, Instant start) {
    record Cursor(int stay, List<Item> items, int at) {
      Instant time() {
        return items.get(at).time();
      }
    }
    PriorityQueue<Cursor> queue =
        new PriorityQueue<>(Comparator.comparing(Cursor::time).thenComparingInt(Cursor::stay));
    for (int s = 0; s < stays.size(); s++) {
      List<Item> items = items(stays.get(s), prefix, start);
      if (!items.isEmpty()) {
        queue.add(new Cursor(s, items, 0));
      }
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return !queue.isEmpty();
      }

      @Override
      public Item next() {
        Cursor head = queue.poll();
        if (head == null) {
          throw new NoSuchElementException();
        }
        if (head.at() + 1 < head.items().size()) {
          queue.add(new Cursor(head.stay(), head.items(), head.at() + 1));
        }
        return head.items().get(head.at());
      }
    };
  }

  private static List<Item> items(PhysioNetStay stay, String prefix, Instant start) {
    String patient = prefix + stay.id();
    List<Item> items = new ArrayList<>();
    for (PhysioNetStay.Reading r : stay.readings(start)) {
      items.add(new Item(patient, r.time(), ReplayJson.reading(stay.id(), patient, r)));
    }
    return items;
  }

  /**
   * The elements of {@code in} in a random order in which each moves at most {@code horizon - 1}
   * places from its own, either way: at each place one element is drawn among those not yet drawn
   * within {@code horizon - 1} places after it, except that one already {@code horizon - 1} places
   * behind is drawn at once.
   */
  public static <T> Iterator<T> shuffle(Iterator<T> in, int horizon, Random random) {
    if (horizon < 1) {
      throw new IllegalArgumentException("horizon must be at least 1, got " + horizon);
    }
    record Placed<T>(long place, T value) {}
    return new Iterator<>() {
      private final List<Placed<T>> pool = new ArrayList<>();
      private long read;
      private long drawn;

      @Override
      public boolean hasNext() {
        fill();
        return !pool.isEmpty();
      }

      @Override
      public T next() {
        fill();
        if (pool.isEmpty()) {
          throw new NoSuchElementException();
        }
        int oldest = 0;
        for (int i = 1; i < pool.size(); i++) {
          if (pool.get(i).place() < pool.get(oldest).place()) {
            oldest = i;
          }
        }
        int pick =
            pool.get(oldest).place() <= drawn - (horizon - 1)
                ? oldest
                : random.nextInt(pool.size());
        drawn++;
        return pool.remove(pick).value();
      }

      private void fill() {
        while (read < drawn + horizon && in.hasNext()) {
          pool.add(new Placed<>(read++, in.next()));
        }
      }
    };
  }

  /**
   * Posts the batches in order, at most {@code concurrency} requests in flight: batch {@code i} is
   * sent once every batch up to {@code i - concurrency} was answered. Throws on the first request
   * not answered 2xx or whose readings ingest did not all accept; requests still in flight then are
   * abandoned.
   */
  public Result post(Iterator<Batch> batches, int concurrency)
      throws IOException, InterruptedException {
    Behind behind = new Behind(concurrency);
    AtomicInteger requests = new AtomicInteger();
    long[] readings = new long[1];
    Iterator<Request> posts =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return batches.hasNext();
          }

          @Override
          public Request next() {
            Batch batch = batches.next();
            behind.add(batch);
            readings[0] += batch.items().size();
            return new Request(
                describe(batch),
                () -> {
                  int accepted = ingest.postReadings(batch.body());
                  if (accepted != batch.items().size()) {
                    throw new IOException(
                        "ingest accepted "
                            + accepted
                            + " of "
                            + batch.items().size()
                            + " readings");
                  }
                  requests.incrementAndGet();
                });
          }
        };
    send(posts, concurrency);
    return new Result(requests.get(), readings[0], behind.finish());
  }

  private static String describe(Batch batch) {
    List<Item> items = batch.items();
    return "request "
        + batch.index()
        + " ("
        + items.size()
        + " readings, "
        + items.get(0).patientId()
        + " at "
        + items.get(0).time()
        + " to "
        + items.get(items.size() - 1).patientId()
        + " at "
        + items.get(items.size() - 1).time()
        + ")";
  }

  /** One HTTP request of a replay. */
  private interface Call {
    void send() throws IOException, InterruptedException;
  }

  /** A request and what it is, for the error message. */
  private record Request(String what, Call call) {}

  /**
   * Sends the requests in order, request {@code i} once every request up to {@code i - concurrency}
   * was answered; throws the first failure.
   */
  private static void send(Iterator<Request> requests, int concurrency)
      throws IOException, InterruptedException {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            concurrency,
            r -> {
              Thread t = new Thread(r, "replay-request-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ArrayDeque<Map.Entry<Request, Future<Void>>> inFlight = new ArrayDeque<>();
    try {
      while (requests.hasNext()) {
        if (inFlight.size() == concurrency) {
          await(inFlight.removeFirst());
        }
        Request request = requests.next();
        inFlight.addLast(
            Map.entry(
                request,
                pool.submit(
                    () -> {
                      request.call().send();
                      return null;
                    })));
      }
      while (!inFlight.isEmpty()) {
        await(inFlight.removeFirst());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void await(Map.Entry<Request, Future<Void>> request)
      throws IOException, InterruptedException {
    try {
      request.getValue().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException interrupted) {
        throw interrupted;
      }
      throw new IOException(
          "replay failed at " + request.getKey().what() + ": " + cause.getMessage(), cause);
    }
  }

  /**
   * Tracks {@link Result#maxBehind}: for each batch, per patient, the latest time in the batches
   * before it and in the {@code concurrency - 1} after it, against the earliest time in it.
   */
  private static final class Behind {
    private final int concurrency;
    private final Map<String, Instant> latest = new HashMap<>();
    private final ArrayDeque<Span> window = new ArrayDeque<>();
    private Duration max = Duration.ZERO;

    /** A batch's earliest and latest time per patient and the patient's latest time before it. */
    private record Span(Map<String, Instant[]> times, Map<String, Instant> before) {}

    Behind(int concurrency) {
      this.concurrency = concurrency;
    }

    void add(Batch batch) {
      Map<String, Instant[]> times = new LinkedHashMap<>();
      for (Item item : batch.items()) {
        Instant[] span = times.computeIfAbsent(item.patientId(), p -> new Instant[2]);
        span[0] = span[0] == null || item.time().isBefore(span[0]) ? item.time() : span[0];
        span[1] = span[1] == null || item.time().isAfter(span[1]) ? item.time() : span[1];
      }
      Map<String, Instant> before = new HashMap<>();
      for (Map.Entry<String, Instant[]> e : times.entrySet()) {
        Instant previous = latest.get(e.getKey());
        if (previous != null) {
          before.put(e.getKey(), previous);
        }
        if (previous == null || e.getValue()[1].isAfter(previous)) {
          latest.put(e.getKey(), e.getValue()[1]);
        }
      }
      window.addLast(new Span(times, before));
      if (window.size() == concurrency) {
        settle();
      }
    }

    Duration finish() {
      while (!window.isEmpty()) {
        settle();
      }
      return max;
    }

    /** Settles the oldest batch of the window against those that may overtake it. */
    private void settle() {
      Span head = window.removeFirst();
      for (Map.Entry<String, Instant[]> e : head.times().entrySet()) {
        Instant other = head.before().get(e.getKey());
        for (Span later : window) {
          Instant[] span = later.times().get(e.getKey());
          if (span != null && (other == null || span[1].isAfter(other))) {
            other = span[1];
          }
        }
        if (other != null) {
          Duration d = Duration.between(e.getValue()[0], other);
          if (d.compareTo(max) > 0) {
            max = d;
          }
        }
      }
    }
  }
}
