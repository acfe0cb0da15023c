package io.vigil.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.Vital;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import io.vigil.schemas.vitals.VitalObservation;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBrokerTest {

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static VitalObservation reading(String id) {
    Instant t = Instant.parse("2026-01-05T10:00:00Z");
    return VitalObservation.newBuilder()
        .setReadingId(id)
        .setSourceId("s")
        .setVital(Vital.HEART_RATE.type())
        .setLoinc(Vital.HEART_RATE.loinc())
        .setValue(80)
        .setUnit(Vital.HEART_RATE.unit())
        .setTime(t)
        .setTimeReceived(t)
        .build();
  }

  static void produce(String bootstrap, PatientKey key, VitalObservation value) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    produce(props, key, value);
  }

  /** Sends one reading with {@code connection} (bootstrap servers and security) and waits. */
  static void produce(Properties connection, PatientKey key, VitalObservation value)
      throws Exception {
    TopicSpec<PatientKey, VitalObservation> topic = Topics.VITALS_OBSERVATIONS;
    Properties props = new Properties();
    props.putAll(connection);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (var producer =
        new KafkaProducer<>(
            props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
      producer.send(new ProducerRecord<>(topic.name(), key, value)).get();
    }
  }

  static List<String> readIds(String bootstrap, PatientKey key) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return readIds(props, key);
  }

  /** Reading ids of {@code key} on vitals.observations, read with {@code connection}. */
  static List<String> readIds(Properties connection, PatientKey key) {
    TopicSpec<PatientKey, VitalObservation> topic = Topics.VITALS_OBSERVATIONS;
    Properties props = new Properties();
    props.putAll(connection);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "t-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> ids = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      consumer.subscribe(List.of(topic.name()));
      Instant deadline = Instant.now().plusSeconds(20);
      while (Instant.now().isBefore(deadline) && ids.size() < 1) {
        for (ConsumerRecord<PatientKey, VitalObservation> r :
            consumer.poll(Duration.ofMillis(200))) {
          if (key.equals(r.key())) {
            ids.add(r.value().getReadingId());
          }
        }
      }
    }
    return ids;
  }

  @Test
  void shouldServeTheCatalogueAndKeepDataAcrossARestart(@TempDir Path dir) throws Exception {
    int port = freePort();
    int controllerPort = freePort();
    PatientKey key = PatientKeys.of("clinic", "p-1");
    try (LocalBroker broker = new LocalBroker(dir, "127.0.0.1", port, controllerPort)) {
      List<String> created = broker.start();
      assertEquals(
          Topics.all().stream().map(TopicSpec::name).collect(Collectors.toSet()),
          Set.copyOf(created));
      produce(broker.bootstrapServers(), key, reading("r-1"));
      assertEquals(List.of("r-1"), readIds(broker.bootstrapServers(), key));
    }
    try (LocalBroker broker = new LocalBroker(dir, "127.0.0.1", port, controllerPort)) {
      assertEquals(List.of(), broker.start(), "topics exist already after a restart");
      assertEquals(List.of("r-1"), readIds(broker.bootstrapServers(), key));
      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (Admin admin = Admin.create(props)) {
        assertTrue(admin.listTopics().names().get().contains(Topics.RISK_SCORES.name()));
      }
    }
  }
}
