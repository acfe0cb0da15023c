package io.vigil.alerts;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.vigil.alerts.security.Secrets;
import io.vigil.schemas.VigilHome;
import java.util.HashMap;
import java.util.Map;

/** Starts the alerts service: lifecycle streams, nurse API and UI, webhooks, metrics. */
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    start(Map.of(), args);
  }

  /**
   * Starts the service with extra properties (tests pass ports, Kafka and {@code vigil.home} this
   * way). The JWT signing secret comes from {@code VIGIL_JWT_SECRET} or is generated once and kept
   * in the state folder, so logins survive restarts: that folder is needed before the context
   * exists, so it is resolved here, once, and handed to the context.
   */
  public static ApplicationContext start(Map<String, Object> overrides, String... args) {
    Map<String, Object> props = new HashMap<>(overrides);
    Object configured = overrides.get("vigil.home");
    VigilHome home =
        configured == null ? VigilHome.fromEnvironment() : VigilHome.of(configured.toString());
    props.put("vigil.home", home.path().toString());
    props.putIfAbsent(
        "micronaut.security.token.jwt.signatures.secret.generator.secret",
        Secrets.jwtSecret(home.path(), System.getenv("VIGIL_JWT_SECRET")));
    // Settings are bound at start, so a wrong value stops the service before it serves.
    return Micronaut.build(args)
        .mainClass(Application.class)
        .properties(props)
        .eagerInitConfiguration(true)
        .start();
  }
}
