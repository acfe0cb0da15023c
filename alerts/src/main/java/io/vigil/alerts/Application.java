package io.vigil.alerts;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.vigil.alerts.security.Secrets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Starts the alerts service: lifecycle streams, nurse API and UI, webhooks, metrics. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    start(Map.of(), args);
  }

  /**
   * Starts the service with extra properties (tests pass ports, Kafka and VIGIL_HOME this way). The
   * JWT signing secret comes from {@code VIGIL_JWT_SECRET} or is generated once and kept under
   * VIGIL_HOME, so logins survive restarts.
   */
  public static ApplicationContext start(Map<String, Object> overrides, String... args) {
    Map<String, Object> props = new HashMap<>(overrides);
    Path home = home(overrides);
    props.put("vigil.home", home.toString());
    props.putIfAbsent(
        "micronaut.security.token.jwt.signatures.secret.generator.secret",
        Secrets.jwtSecret(home, System.getenv("VIGIL_JWT_SECRET")));
    return Micronaut.build(args).mainClass(Application.class).properties(props).start();
  }

  static Path home(Map<String, Object> overrides) {
    Object configured = overrides.get("vigil.home");
    if (configured != null) {
      return Path.of(configured.toString());
    }
    String env = System.getenv("VIGIL_HOME");
    return Path.of(env == null || env.isBlank() ? ".vigil" : env).toAbsolutePath();
  }
}
