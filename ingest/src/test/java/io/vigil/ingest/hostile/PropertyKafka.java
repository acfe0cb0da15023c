package io.vigil.ingest.hostile;

import io.vigil.schemas.testing.TestKafka;
import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;

/**
 * The broker of this module's jqwik properties: the jqwik engine does not run Jupiter extensions
 * such as {@code @WithKafka}, so it starts its own in-JVM KRaft broker on first use, with the
 * catalogue's topics, and stops it when the JVM exits.
 */
final class PropertyKafka {
  private static TestKafka kafka;

  private PropertyKafka() {}

  static synchronized TestKafka get() {
    if (kafka == null) {
      try {
        TestKafka started = TestKafka.startInJvm(1);
        try (Admin admin = started.admin()) {
          TopicAdmin.ensureTopics(admin, Topics.all(), (short) 1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "property-kafka-stop"));
        kafka = started;
      } catch (Exception e) {
        throw new IllegalStateException("could not start a Kafka broker for the properties", e);
      }
    }
    return kafka;
  }
}
