package io.vigil.scoring.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySource.Origin;
import io.micronaut.context.env.PropertySource.PropertyConvention;
import io.micronaut.runtime.Micronaut;
import io.vigil.scoring.model.ModelBundle;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the scoring service: loads the model bundle (the shipped one, or {@code
 * SCORING_MODEL_DIR}), serves HTTP on {@code PORT} (8082: risk API, health, metrics) with
 * Micronaut, then runs the topology against {@code KAFKA_BOOTSTRAP_SERVERS} ({@link
 * ScoringRuntime}) until the JVM is asked to stop. Settings: {@link ServiceConfig} and the module
 * README.
 */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    micronaut(args).start();
  }

  /**
   * Starts the service with {@code env} on top of the process's environment, mapped onto properties
   * as Micronaut maps environment variables, and with {@code bundle} instead of the configured one:
   * tests run instances side by side in one JVM this way.
   */
  public static ApplicationContext start(
      Map<String, String> env, ModelBundle bundle, String... args) {
    return micronaut(args).propertySources(givenEnvironment(env)).singletons(bundle).start();
  }

  /** {@code env} as properties, named as Micronaut names the process's environment variables. */
  static PropertySource givenEnvironment(Map<String, String> env) {
    return PropertySource.of(
        "given-env",
        new HashMap<>(env),
        PropertyConvention.ENVIRONMENT_VARIABLE,
        Origin.of("given-env"));
  }

  // Settings are bound at start, so a wrong value stops the service before it serves.
  private static ApplicationContextBuilder micronaut(String... args) {
    return Micronaut.build(args)
        .mainClass(Application.class)
        .banner(false)
        .eagerInitConfiguration(true);
  }
}
