package io.vigil.schemas;

import java.nio.file.Path;
import java.util.Map;

/**
 * The folder where Vigil keeps its local state: the API key file, {@code demo.env}, the nurse
 * accounts and session secret, Kafka Streams state. {@value #VARIABLE} names it; unset or blank, it
 * is {@value #DEFAULT} under the working directory. Every service and tool resolves it here, so
 * they all look in the same folder.
 *
 * @param path the folder, as configured (a relative path resolves against the working directory)
 */
public record VigilHome(Path path) {
  /** The environment variable naming the folder. */
  public static final String VARIABLE = "VIGIL_HOME";

  /** The folder when {@value #VARIABLE} is unset or blank. */
  public static final String DEFAULT = ".vigil";

  /** The folder {@code configured} names: {@value #DEFAULT} when it is null or blank. */
  public static VigilHome of(String configured) {
    return new VigilHome(
        Path.of(configured == null || configured.isBlank() ? DEFAULT : configured.trim()));
  }

  /** The folder {@code env} names in {@value #VARIABLE}. */
  public static VigilHome fromEnvironment(Map<String, String> env) {
    return of(env.get(VARIABLE));
  }

  /** The folder this process's environment names. */
  public static VigilHome fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** {@code other} inside the folder (an absolute {@code other} stays as it is). */
  public Path resolve(String other) {
    return path.resolve(other);
  }
}
