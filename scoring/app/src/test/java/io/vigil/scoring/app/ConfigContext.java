package io.vigil.scoring.app;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import java.util.Map;

/**
 * The service's context as it starts, without its HTTP server and so without its topology: the
 * settings of {@code env} bound as the service binds them (environment variables mapped as
 * Micronaut maps the process's, application.yml, checked at start), with an untrained 3-hour model.
 * Only {@code env} counts: the test JVM's own environment is left out.
 */
public final class ConfigContext {
  private ConfigContext() {}

  public static ApplicationContext start(Map<String, String> env) {
    return ApplicationContext.builder()
        .environmentPropertySource(false)
        .propertySources(Application.givenEnvironment(env))
        .singletons(TestModels.untrained(3))
        .eagerInitConfiguration(true)
        .start();
  }

  /** Why the service refuses to start with {@code env}: the check's own exception. */
  public static IllegalArgumentException refusal(Map<String, String> env) {
    RuntimeException e = assertThrows(RuntimeException.class, () -> start(env).close());
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException refused) {
        return refused;
      }
    }
    throw new AssertionError("refused without a check's message", e);
  }
}
