package io.vigil.deploy.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The pipeline's services, written once, in start order: what {@code ./vigil up} starts (the
 * simulated ward last), and what the pipeline bench and the end-to-end tests start. Each is a main
 * class run from the class path of the module that builds it.
 *
 * <p>Class paths come as files in one folder, one per module, named after it ({@code scoring/app}:
 * {@code scoring-app.txt}): the launcher script writes them from each module's build output ({@code
 * target/classes} and the {@code target/classpath.txt} the root pom writes), and the tests write
 * them the same way.
 */
public enum PipelineService {
  INGEST("ingest", 8081, "io.vigil.ingest.Application", "/health"),
  SCORING("scoring/app", 8082, "io.vigil.scoring.app.Application", "/health"),
  ALERTS("alerts", 8080, "io.vigil.alerts.Application", "/health"),
  /** The simulated ward of care team {@value #WARD_TEAM}: no HTTP port, posts to ingest. */
  WARD("deploy", 0, "io.vigil.deploy.local.Ward", "");

  /** The care team of the simulated ward's patients. */
  private static final String WARD_TEAM = "ward-1";

  private final String module;
  private final int port;
  private final String mainClass;
  private final String healthPath;

  PipelineService(String module, int port, String mainClass, String healthPath) {
    this.module = module;
    this.port = port;
    this.mainClass = mainClass;
    this.healthPath = healthPath;
  }

  /** The name it goes by in the launcher's output and options: {@code ingest}, {@code ward}. */
  public String serviceName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The module whose class path it runs from, as a path from the repository root. */
  public String module() {
    return module;
  }

  /** Its HTTP port under {@code ./vigil up}, 0 for none. */
  public int port() {
    return port;
  }

  public String mainClass() {
    return mainClass;
  }

  /** The file in {@code classpaths} holding its module's class path. */
  public Path classpathFile(Path classpaths) {
    return classpaths.resolve(module.replace('/', '-') + ".txt");
  }

  /** The service as {@code ./vigil up} starts it, on its own port. */
  public ServiceSpec spec(Path classpaths) {
    return specs(classpaths, Map.of()).get(ordinal());
  }

  /**
   * Every service as {@code ./vigil up} starts them, in order: each on its own port unless {@code
   * ports} gives another, the ward posting to ingest's.
   */
  public static List<ServiceSpec> specs(Path classpaths, Map<PipelineService, Integer> ports) {
    int ingestPort = ports.getOrDefault(INGEST, INGEST.port);
    List<ServiceSpec> specs = new ArrayList<>();
    for (PipelineService service : values()) {
      List<String> args =
          service == WARD
              ? List.of("--ingest", "http://localhost:" + ingestPort, "--care-team", WARD_TEAM)
              : List.of();
      specs.add(
          new ServiceSpec(
              service.serviceName(),
              ports.getOrDefault(service, service.port),
              service.mainClass,
              service.classpathFile(classpaths),
              service.healthPath,
              args));
    }
    return specs;
  }
}
