package io.vigil.deploy.local;

import io.vigil.schemas.VigilHome;
import io.vigil.tools.cli.Usage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UseDefaultConverter;

/**
 * {@code ./vigil up}: the whole pipeline on this machine. Starts the local Kafka broker and then
 * the pipeline's services ({@link PipelineService}), each in a JVM of its own from the class-path
 * files the launcher script writes, keeps them running ({@link ServiceSupervisor}: a service that
 * dies is restarted with backoff, printed with the reason; one that keeps dying stops everything,
 * loudly, with exit status 1), and stops everything cleanly on Ctrl-C.
 *
 * <p>An instance is the command line ({@code ./vigil up --help} lists the options with their
 * defaults and the exit statuses).
 */
@Command(
    name = "./vigil up",
    description =
        "Starts the whole pipeline on this machine: a Kafka broker, then ingest, scoring,"
            + " alerts and the simulated ward, each in its own JVM from its module's class-path"
            + " file, restarted with backoff when it dies. Ctrl-C stops everything.",
    exitCodeList = {
      "1:a service kept dying (more than --max-restarts restarts within 10 minutes) or the"
          + " broker or a service did not start; everything was stopped",
      "2:invalid command line: an unknown option or a value out of range",
      "130:stopped with Ctrl-C; everything was stopped cleanly"
    })
public final class Up implements Callable<Integer> {
  @Mixin private Usage usage;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "State folder: the broker's data (kafka/) and the services' state. Default: $VIGIL_HOME,"
              + " else .vigil.")
  private Path home;

  @Option(
      names = "--classpaths",
      paramLabel = "DIR",
      description =
          "Folder of the modules' class-path files (scoring/app: scoring-app.txt), as ./vigil"
              + " writes them. Default: HOME/classpath.")
  private Path classpaths;

  @Option(
      names = "--kafka-port",
      paramLabel = "PORT",
      defaultValue = "9092",
      description = "The broker's client port on 127.0.0.1.")
  private int kafkaPort;

  @Option(
      names = "--controller-port",
      paramLabel = "PORT",
      defaultValue = "9093",
      description = "The broker's KRaft controller port on 127.0.0.1.")
  private int controllerPort;

  @Option(names = "--broker-only", description = "Start the Kafka broker and no service.")
  private boolean brokerOnly;

  @Option(
      names = "--max-restarts",
      paramLabel = "N",
      defaultValue = "5",
      description = "Restarts of one service within 10 minutes before giving up, 0 or more.")
  private int maxRestarts;

  @Option(
      names = "--no-sim",
      description = "Every service but the simulated ward: for real platforms posting to ingest.")
  private boolean noSim;

  @Option(
      names = "--only",
      paramLabel = "NAME",
      split = ",",
      converter = ServiceName.class,
      description =
          "Start only these services (ingest, scoring, alerts, ward), in the pipeline's order."
              + " Default: all of them.")
  private Set<PipelineService> only;

  @Option(
      names = "--port",
      paramLabel = "NAME=PORT",
      converter = {ServiceName.class, UseDefaultConverter.class},
      description =
          "Put a service on another HTTP port, e.g. --port alerts=9080 when 8080 is taken; the"
              + " ward posts to ingest's. Default: ingest 8081, scoring 8082, alerts 8080.")
  private Map<PipelineService, Integer> ports;

  @SuppressWarnings("checkstyle:systemExit")
  public static void main(String[] args) {
    System.exit(new CommandLine(new Up()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    requirePort("--kafka-port", kafkaPort);
    requirePort("--controller-port", controllerPort);
    usage.require(maxRestarts >= 0, "--max-restarts must be 0 or more, got " + maxRestarts);
    List<ServiceSpec> specs = services();
    RestartPolicy defaults = RestartPolicy.DEFAULT;
    RestartPolicy policy =
        new RestartPolicy(
            defaults.initialBackoff(), defaults.maxBackoff(), maxRestarts, defaults.window());
    Path state = home().toAbsolutePath();
    LocalBroker broker =
        new LocalBroker(state.resolve("kafka"), "127.0.0.1", kafkaPort, controllerPort);
    ServiceSupervisor services =
        new ServiceSupervisor(state, broker.bootstrapServers(), policy, System.out);
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
            + state.resolve("kafka")
            + (created.isEmpty() ? ")" : "; created topics " + String.join(", ", created) + ")"));
    try {
      if (!brokerOnly) {
        for (ServiceSpec service : specs) {
          services.start(service);
        }
        if (noSim) {
          System.out.println("vigil: no simulated ward (--no-sim)");
        }
      }
      System.out.println("vigil: up. Press Ctrl-C to stop.");
      services.watch();
    } catch (ServiceSupervisor.GaveUp e) {
      System.out.println("vigil: giving up: " + e.getMessage() + ". Stopping everything.");
      stopEverything.run();
      return 1;
    }
    stopped.await();
    return 0;
  }

  /** The services to start, in order, on their ports, from their class-path files. */
  private List<ServiceSpec> services() {
    Map<PipelineService, Integer> moved = ports == null ? Map.of() : ports;
    moved.forEach(
        (service, port) -> {
          usage.require(
              service.port() != 0, "--port: " + service.serviceName() + " has no HTTP port");
          requirePort("--port " + service.serviceName(), port);
        });
    Set<PipelineService> chosen =
        only == null ? EnumSet.allOf(PipelineService.class) : EnumSet.copyOf(only);
    if (noSim) {
      chosen.remove(PipelineService.WARD);
    }
    Path files = (classpaths != null ? classpaths : home().resolve("classpath")).toAbsolutePath();
    List<ServiceSpec> all = PipelineService.specs(files, moved);
    List<ServiceSpec> specs = new ArrayList<>();
    for (PipelineService service : chosen) {
      specs.add(all.get(service.ordinal()));
    }
    return specs;
  }

  /** A service by its name ({@link PipelineService#serviceName}). */
  static final class ServiceName implements ITypeConverter<PipelineService> {
    @Override
    public PipelineService convert(String value) {
      for (PipelineService service : PipelineService.values()) {
        if (service.serviceName().equals(value)) {
          return service;
        }
      }
      throw new TypeConversionException("expected ingest, scoring, alerts or ward, got " + value);
    }
  }

  private void requirePort(String option, int port) {
    usage.require(
        port >= 1 && port <= 65535, option + " must be a port from 1 to 65535, got " + port);
  }

  /** The state folder: {@code --home}, else the one {@link VigilHome} names. */
  private Path home() {
    return home != null ? home : VigilHome.fromEnvironment().path();
  }
}
