package io.vigil.deploy.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./vigil up}: the whole pipeline on this machine. Starts the local Kafka broker and then
 * the services declared in {@code .vigil/services} by the launcher script, each in a JVM of its
 * own, and stops everything cleanly on Ctrl-C.
 *
 * <p>Arguments: {@code --home DIR} (state folder, default {@code .vigil}), {@code --kafka-port N}
 * (default 9092), {@code --controller-port N} (default 9093), {@code --broker-only}.
 */
public final class Up {
  private Up() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(".vigil");
    int kafkaPort = 9092;
    int controllerPort = 9093;
    boolean brokerOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--home" -> home = Path.of(args[++i]);
        case "--kafka-port" -> kafkaPort = Integer.parseInt(args[++i]);
        case "--controller-port" -> controllerPort = Integer.parseInt(args[++i]);
        case "--broker-only" -> brokerOnly = true;
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    home = home.toAbsolutePath();
    LocalBroker broker =
        new LocalBroker(home.resolve("kafka"), "127.0.0.1", kafkaPort, controllerPort);
    List<ServiceProcess> services = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("vigil: stopping");
                  for (int i = services.size() - 1; i >= 0; i--) {
                    services.get(i).stop();
                  }
                  broker.close();
                  System.out.println("vigil: stopped");
                  stopped.countDown();
                },
                "vigil-stop"));

    List<String> created = broker.start();
    System.out.println(
        "vigil: Kafka broker on "
            + broker.bootstrapServers()
            + " (data in "
            + home.resolve("kafka")
            + (created.isEmpty() ? ")" : "; created topics " + String.join(", ", created) + ")"));
    if (!brokerOnly) {
      for (ServiceSpec spec : ServiceSpec.load(home.resolve("services"))) {
        ServiceProcess process = ServiceProcess.start(spec, home, broker.bootstrapServers());
        services.add(process);
        process.awaitReady();
        System.out.println("vigil: " + spec.name() + " ready on " + spec.url());
      }
    }
    System.out.println("vigil: up. Press Ctrl-C to stop.");
    stopped.await();
  }
}
