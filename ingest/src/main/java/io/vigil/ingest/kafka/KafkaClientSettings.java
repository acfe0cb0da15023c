package io.vigil.ingest.kafka;

import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where ingest's Kafka clients connect, and the site's client settings: {@code
 * kafka.bootstrap.servers} and {@code vigil.ingest.producer.*} (TLS, SASL, compression, ...). The
 * producer takes every setting; a client that only reads takes the ones that reach the brokers
 * ({@link #security()}).
 */
@Singleton
public final class KafkaClientSettings {
  private final String bootstrapServers;
  private final Map<String, String> producer;

  public KafkaClientSettings(
      @Value("${kafka.bootstrap.servers}") String bootstrapServers,
      @Nullable
          @Property(name = "vigil.ingest.producer")
          @MapFormat(
              transformation = MapFormat.MapTransformation.FLAT,
              keyFormat = StringConvention.RAW)
          Map<String, String> producer) {
    this.bootstrapServers = bootstrapServers;
    this.producer = producer == null ? Map.of() : Map.copyOf(producer);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Every {@code vigil.ingest.producer.*} setting, as given. */
  public Map<String, String> producer() {
    return producer;
  }

  /** The {@code security.*}, {@code ssl.*} and {@code sasl.*} settings among them. */
  public Map<String, String> security() {
    Map<String, String> security = new TreeMap<>();
    producer.forEach(
        (k, v) -> {
          if (k.startsWith("security.") || k.startsWith("ssl.") || k.startsWith("sasl.")) {
            security.put(k, v);
          }
        });
    return security;
  }
}
