package io.vigil.scoring.app;

import io.vigil.scoring.model.ModelBundle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real, untrained networks from the model factory, built once per JVM and window length (DL4J
 * start-up is slow). Tests use small windows; the shipped bundle is used by the service itself.
 */
public final class TestModels {
  private static final Map<Integer, ModelBundle> BUNDLES = new ConcurrentHashMap<>();

  private TestModels() {}

  public static ModelBundle untrained(int windowHours) {
    return BUNDLES.computeIfAbsent(windowHours, h -> ModelBundle.untrained(h, 7L));
  }
}
