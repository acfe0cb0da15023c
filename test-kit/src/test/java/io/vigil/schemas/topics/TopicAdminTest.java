package io.vigil.schemas.topics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

@WithKafka
class TopicAdminTest {

  @Test
  void shouldCreatePatientTopicsWithThePartitionCountAskedForAndKeepOthersAsCatalogued(
      TestKafka kafka) throws Exception {
    TopicSpec<String, String> patients =
        new TopicSpec<>(
            TestKafka.unique("patients"),
            Serdes.String(),
            Serdes.String(),
            Topics.PATIENT_PARTITIONS,
            Map.of("cleanup.policy", "compact"));
    TopicSpec<String, String> single =
        new TopicSpec<>(TestKafka.unique("single"), Serdes.String(), Serdes.String(), 1, Map.of());
    try (Admin admin = kafka.admin()) {
      List<String> created =
          TopicAdmin.ensureTopics(admin, List.of(patients, single), (short) 1, 12);
      assertEquals(List.of(patients.name(), single.name()), created);
      // A new topic's metadata reaches every broker shortly after creation.
      Map<String, TopicDescription> topics =
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(
                  () ->
                      admin
                          .describeTopics(List.of(patients.name(), single.name()))
                          .allTopicNames()
                          .get(),
                  t -> t.size() == 2);
      assertEquals(12, topics.get(patients.name()).partitions().size());
      assertEquals(1, topics.get(single.name()).partitions().size());
      assertTrue(
          TopicAdmin.ensureTopics(admin, List.of(patients, single), (short) 1, 24).isEmpty(),
          "existing topics are left as they are");
      assertEquals(
          12,
          admin
              .describeTopics(List.of(patients.name()))
              .allTopicNames()
              .get()
              .get(patients.name())
              .partitions()
              .size());
    }
  }

  @Test
  void shouldReadThePartitionCountFromTheEnvironmentAndRefuseNonsense() {
    assertEquals(Topics.PATIENT_PARTITIONS, TopicAdmin.patientPartitions(Map.of()));
    assertEquals(
        Topics.PATIENT_PARTITIONS,
        TopicAdmin.patientPartitions(Map.of(TopicAdmin.PARTITIONS_VARIABLE, " ")));
    assertEquals(48, TopicAdmin.patientPartitions(Map.of(TopicAdmin.PARTITIONS_VARIABLE, " 48 ")));
    assertEquals(1, TopicAdmin.patientPartitions(Map.of(TopicAdmin.PARTITIONS_VARIABLE, "1")));
    for (String bad : List.of("0", "-6", "six", "6.5")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> TopicAdmin.patientPartitions(Map.of(TopicAdmin.PARTITIONS_VARIABLE, bad)));
      assertTrue(e.getMessage().contains("VIGIL_TOPIC_PARTITIONS"), e.getMessage());
    }
  }
}
