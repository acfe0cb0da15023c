package io.vigil.scoring.app;

import io.vigil.scoring.model.ModelBundle;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the scoring service: loads the model bundle (the shipped one, or {@code
 * SCORING_MODEL_DIR}), runs the topology against {@code KAFKA_BOOTSTRAP_SERVERS} and serves HTTP on
 * {@code PORT} (8082) until the JVM is asked to stop.
 */
public final class Application {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);

  private Application() {}

  public static void main(String[] args) throws Exception {
    String modelDir = System.getenv("SCORING_MODEL_DIR");
    ModelBundle bundle =
        modelDir == null || modelDir.isBlank()
            ? ModelBundle.loadDefault()
            : ModelBundle.load(java.nio.file.Path.of(modelDir));
    ServiceSettings settings =
        ServiceSettings.fromEnvironment(System.getenv(), bundle.windowHours());
    ScoringService service = new ScoringService(settings, bundle);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("stopping scoring");
                  service.close();
                  stopped.countDown();
                },
                "scoring-shutdown"));
    stopped.await();
  }
}
