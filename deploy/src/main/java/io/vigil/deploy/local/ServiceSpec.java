package io.vigil.deploy.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One service to start in a JVM of its own: its name, HTTP port (0 for none), main class, the file
 * holding its class path, its health path and its arguments. {@link PipelineService} gives those of
 * the pipeline's services; a test or the bench moves one to another port or adds arguments.
 *
 * <p>{@code ./vigil up} is the demo: every service with an HTTP port gets the demo switch {@value
 * #DEMO_SWITCH} after its own arguments (the services create demo credentials only with it; the
 * ward, without a port, has its own argument parser and does not).
 */
public record ServiceSpec(
    String name,
    int port,
    String mainClass,
    Path classpathFile,
    String healthPath,
    List<String> args) {

  /** The services' demo switch (Micronaut command-line property {@code vigil.demo}). */
  public static final String DEMO_SWITCH = "--vigil.demo=true";

  public ServiceSpec {
    if (port > 0 && !args.contains(DEMO_SWITCH)) {
      List<String> withDemo = new ArrayList<>(args);
      withDemo.add(DEMO_SWITCH);
      args = List.copyOf(withDemo);
    }
  }

  public String url() {
    return port > 0 ? "http://localhost:" + port : "(no HTTP)";
  }

  /** The same service on {@code value}. */
  public ServiceSpec withPort(int value) {
    return new ServiceSpec(name, value, mainClass, classpathFile, healthPath, args);
  }

  /** The same service with {@code more} after its arguments. */
  public ServiceSpec withArgs(List<String> more) {
    List<String> all = new ArrayList<>(args);
    all.addAll(more);
    return new ServiceSpec(name, port, mainClass, classpathFile, healthPath, List.copyOf(all));
  }
}
