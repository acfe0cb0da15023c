package io.vigil.scoring.app;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.vigil.schemas.topics.KafkaConnection;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.model.ModelBundle;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;

/**
 * What the service builds from its bound settings: the model bundle, the topology's windowing (the
 * bundle fixes the window length) and the Kafka clients' settings.
 */
@Factory
final class ScoringFactory {

  /** The bundle {@code SCORING_MODEL_DIR} names, else the shipped one; tests may give their own. */
  @Singleton
  @Requires(missingBeans = ModelBundle.class)
  ModelBundle bundle(ServiceConfig config) {
    Path dir = config.modelPath();
    try {
      return dir == null ? ModelBundle.loadDefault() : ModelBundle.load(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the model bundle", e);
    }
  }

  @Singleton
  ScoringConfig topology(ServiceConfig config, ModelBundle bundle) {
    return config.topology(bundle.windowHours());
  }

  @Singleton
  KafkaConfig kafka(
      @Value("${kafka.bootstrap.servers}") String bootstrapServers, Environment environment) {
    Properties overrides = KafkaConnection.fromEnvironment().securityProperties();
    // KAFKA_STREAMS_X_Y arrives as kafka.streams.x.y and as every mix of '.' and '-' in its place;
    // Kafka's property names have no '-', so the all-dots spelling is the one.
    environment
        .getProperties("kafka.streams")
        .forEach(
            (name, value) -> {
              if (!name.contains("-")) {
                overrides.put(name, value.toString());
              }
            });
    return new KafkaConfig(bootstrapServers, overrides);
  }
}
