package io.vigil.scoring.app;

import io.vigil.schemas.health.ServiceStatus;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** The latest status report of each instance of one scoring application, read as they come. */
final class StatusReports implements AutoCloseable {
  private final String application;
  private final KafkaConsumer<String, ServiceStatus> consumer;
  private final Map<String, ServiceStatus> latest = new HashMap<>();

  StatusReports(TestKafka kafka, String application) {
    this.application = application;
    this.consumer = kafka.consumer(Topics.SERVICES_STATUS);
    TopicPartition tp = new TopicPartition(Topics.SERVICES_STATUS.name(), 0);
    consumer.assign(List.of(tp));
    consumer.seekToBeginning(List.of(tp));
  }

  /** Reads what arrived and answers the latest report of every instance, by instance. */
  synchronized Map<String, ServiceStatus> latest() {
    for (var r : consumer.poll(Duration.ofMillis(200))) {
      ServiceStatus s = r.value();
      if (s != null && application.equals(s.getApplication())) {
        latest.put(s.getInstance(), s);
      }
    }
    return Map.copyOf(latest);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
