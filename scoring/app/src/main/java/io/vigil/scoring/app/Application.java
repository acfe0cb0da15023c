package io.vigil.scoring.app;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.vigil.scoring.model.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the scoring service: loads the model bundle (the shipped one, or {@code
 * SCORING_MODEL_DIR}), serves HTTP on {@code PORT} (8082: risk API, health, metrics) with
 * Micronaut, then runs the topology against {@code KAFKA_BOOTSTRAP_SERVERS} ({@link
 * ScoringRuntime}) until the JVM is asked to stop.
 */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    start(System.getenv(), null, args);
  }

  /**
   * Starts the service from {@code env} (the variables of the module README; tests pass their own),
   * with {@code bundle} or, when null, the bundle {@code SCORING_MODEL_DIR} names (else the shipped
   * one).
   */
  public static ApplicationContext start(
      Map<String, String> env, ModelBundle bundle, String... args) {
    ModelBundle model = bundle == null ? load(env.get("SCORING_MODEL_DIR")) : bundle;
    ServiceSettings settings = ServiceSettings.fromEnvironment(env, model.windowHours());
    Map<String, Object> props = new HashMap<>();
    // Micronaut's -1 is "any free port", as PORT=0 has always been here.
    props.put("micronaut.server.port", settings.port() == 0 ? -1 : settings.port());
    return Micronaut.build(args)
        .mainClass(Application.class)
        .banner(false)
        .properties(props)
        .singletons(settings, model)
        .start();
  }

  private static ModelBundle load(String dir) {
    try {
      return dir == null || dir.isBlank()
          ? ModelBundle.loadDefault()
          : ModelBundle.load(Path.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model bundle", e);
    }
  }
}
