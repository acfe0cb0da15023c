package io.vigil.deploy.local;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./vigil up}: the whole pipeline on this machine. Starts the local Kafka broker and then
 * the services declared in {@code .vigil/services} by the launcher script, each in a JVM of its
 * own, keeps them running ({@link ServiceSupervisor}: a service that dies is restarted with
 * backoff, printed with the reason; one that keeps dying stops everything, loudly, with exit status
 * 1), and stops everything cleanly on Ctrl-C.
 *
 * <p>Arguments: {@code --home DIR} (state folder, default {@code .vigil}), {@code --kafka-port N}
 * (default 9092), {@code --controller-port N} (default 9093), {@code --broker-only}, {@code
 * --max-restarts N} (restarts of one service within 10 minutes before giving up, default 5), {@code
 * --no-sim} (every service but the simulated ward: for real platforms posting to ingest).
 */
public final class Up {
  /** The simulated ward's name in {@code .vigil/services}. */
  static final String WARD = "ward";

  private Up() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(".vigil");
    int kafkaPort = 9092;
    int controllerPort = 9093;
    boolean brokerOnly = false;
    RestartPolicy policy = RestartPolicy.DEFAULT;
    boolean withWard = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--home" -> home = Path.of(args[++i]);
        case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
        case "--controller-port" -> controllerPort = Integer.parseInt(args[++i]);
        case "--broker-only" -> brokerOnly = true;
        case "--no-sim" -> withWard = false;
        case "--max-restarts" ->
            policy =
                new RestartPolicy(
                    policy.initialBackoff(),
                    policy.maxBackoff(),
                    Integer.parseInt(args[++i]),
                    policy.window());
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    home = home.toAbsolutePath();
    LocalBroker broker =
        new LocalBroker(home.resolve("kafka"), "127.0.0.1", kafkaPort, controllerPort);
    ServiceSupervisor services =
        new ServiceSupervisor(home, broker.bootstrapServers(), policy, System.out);
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable stopEverything =
        () -> {
          if (stopping.compareAndSet(false, true)) {
            System.out.println("vigil: stopping");
            services.stopAll();
            broker.close();
            System.out.println("vigil: stopped");
            stopped.countDown();
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stopEverything, "vigil-stop"));

    List<String> created = broker.start();
    System.out.println(
        "vigil: Kafka broker on "
            + broker.bootstrapServers()
            + " (data in "
            + home.resolve("kafka")
            + (created.isEmpty() ? ")" : "; created topics " + String.join(", ", created) + ")"));
    try {
      if (!brokerOnly) {
        for (ServiceSpec spec : ServiceSpec.load(home.resolve("services"))) {
          if (!withWard && spec.name().equals(WARD)) {
            System.out.println("vigil: no simulated ward (--no-sim)");
            continue;
          }
          services.start(spec);
        }
      }
      System.out.println("vigil: up. Press Ctrl-C to stop.");
      services.watch();
    } catch (ServiceSupervisor.GaveUp e) {
      System.out.println("vigil: giving up: " + e.getMessage() + ". Stopping everything.");
      stopEverything.run();
      // Uncaught, it ends the launcher with exit status 1 once the broker's threads are gone.
      throw e;
    }
    stopped.await();
  }
}
