package io.vigil.deploy.k8s;

import static io.vigil.deploy.k8s.ChartTools.CHART;
import static io.vigil.deploy.k8s.ChartTools.CHECK;
import static io.vigil.deploy.k8s.ChartTools.DEPLOY;
import static io.vigil.deploy.k8s.ChartTools.EXISTING_KAFKA_VALUES;
import static io.vigil.deploy.k8s.ChartTools.named;
import static io.vigil.deploy.k8s.ChartTools.objects;
import static io.vigil.deploy.k8s.ChartTools.ofKind;
import static io.vigil.deploy.k8s.ChartTools.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart as rendered by a real Helm: what it creates agrees with the code (topic catalogue,
 * the topics and groups each service uses, the rules and dashboard of deploy/), and every object
 * passes the Kubernetes, Strimzi and prometheus-operator schemas.
 */
class ChartTest {
  /**
   * The alerts service's own topics (io.vigil.alerts.lifecycle.AlertsTopics), beside the catalogue.
   */
  private static final String WEBHOOK_DEAD_LETTER = "alerts.webhooks.dead-letter";

  /** Care teams' new scored windows, keyed by team, for their alert budgets. */
  private static final String BUDGET_OBSERVATIONS = "alerts.budget.observations";

  /** The LSTM threshold of each care team with an alert budget (compacted, one partition). */
  private static final String TEAM_THRESHOLDS = "alerts.team-thresholds";

  private static final List<String> ALERTS_OWN =
      List.of(WEBHOOK_DEAD_LETTER, BUDGET_OBSERVATIONS, TEAM_THRESHOLDS);

  private static List<JsonNode> strimzi;
  private static List<JsonNode> existing;
  private static String strimziText;
  private static String existingText;

  @BeforeAll
  static void renderBothVariants() throws Exception {
    strimziText = render();
    existingText = render(EXISTING_KAFKA_VALUES);
    strimzi = objects(strimziText);
    existing = objects(existingText);
  }

  @Test
  void shouldDeclareEveryCatalogueTopicWithItsPartitionsAndConfigs() {
    Map<String, JsonNode> topics = new TreeMap<>();
    for (JsonNode topic : ofKind(strimzi, "KafkaTopic")) {
      topics.put(topic.path("spec").path("topicName").asText(), topic.path("spec"));
    }
    Set<String> expected = new TreeSet<>(Topics.all().stream().map(TopicSpec::name).toList());
    expected.addAll(ALERTS_OWN);
    assertEquals(expected, topics.keySet(), "KafkaTopics of the chart vs the catalogue");
    for (TopicSpec<?, ?> spec : Topics.all()) {
      JsonNode topic = topics.get(spec.name());
      assertEquals(spec.partitions(), topic.path("partitions").asInt(), spec.name());
      assertEquals(3, topic.path("replicas").asInt(), spec.name());
      Map<String, String> config = strings(topic.path("config"));
      Map<String, String> wanted = new HashMap<>(spec.config());
      wanted.put("min.insync.replicas", "2");
      assertEquals(wanted, config, spec.name() + " config");
    }
    assertEquals(
        Topics.PATIENT_PARTITIONS, topics.get(WEBHOOK_DEAD_LETTER).path("partitions").asInt());
    assertEquals(
        Topics.PATIENT_PARTITIONS, topics.get(BUDGET_OBSERVATIONS).path("partitions").asInt());
    assertEquals(1, topics.get(TEAM_THRESHOLDS).path("partitions").asInt());
    assertEquals(
        "compact", strings(topics.get(TEAM_THRESHOLDS).path("config")).get("cleanup.policy"));
    // Services that create a missing topic (an existing Kafka) use the same count.
    for (List<JsonNode> variant : List.of(strimzi, existing)) {
      for (JsonNode container : containers(variant)) {
        assertEquals(
            Integer.toString(Topics.PATIENT_PARTITIONS),
            env(container).get("VIGIL_TOPIC_PARTITIONS").path("value").asText(),
            container.path("name").asText());
      }
    }
  }

  @Test
  void shouldRunKafkaInKraftWithThreeReplicasAndTwoInSync() {
    JsonNode pool = ofKind(strimzi, "KafkaNodePool").get(0).path("spec");
    assertEquals(Set.of("controller", "broker"), textSet(pool.path("roles")));
    assertEquals(3, pool.path("replicas").asInt());
    JsonNode kafka = ofKind(strimzi, "Kafka").get(0).path("spec").path("kafka");
    assertEquals(3, kafka.path("config").path("default.replication.factor").asInt());
    assertEquals(2, kafka.path("config").path("min.insync.replicas").asInt());
    assertEquals("simple", kafka.path("authorization").path("type").asText());
    assertEquals(
        "scram-sha-512",
        kafka.path("listeners").get(0).path("authentication").path("type").asText());
    assertTrue(ofKind(existing, "Kafka").isEmpty(), "no Strimzi cluster with an existing Kafka");
    assertTrue(ofKind(existing, "KafkaTopic").isEmpty());
    assertTrue(ofKind(existing, "KafkaUser").isEmpty());
  }

  @Test
  void shouldGrantEachServiceExactlyTheTopicsAndGroupsItUses() {
    List<String> catalogue = Topics.all().stream().map(TopicSpec::name).toList();
    List<String> alertsChecks = new ArrayList<>(catalogue);
    alertsChecks.addAll(ALERTS_OWN);

    Acls ingest = Acls.of(named(strimzi, "KafkaUser", "vigil-ingest"));
    assertEquals(Set.of("vitals.observations", "patients.context"), ingest.topics("Write"));
    assertEquals(Set.of("patients.context"), ingest.topics("Read"));
    assertEquals(Set.of(), ingest.prefixes());
    assertTrue(
        ingest.topics("Describe").containsAll(List.of("vitals.observations", "patients.context")));

    Acls scoring = Acls.of(named(strimzi, "KafkaUser", "vigil-scoring"));
    assertEquals(
        Set.of("risk.scores", "vitals.rejected", "audit.reads", "services.status"),
        scoring.topics("Write"));
    assertEquals(Set.of("vitals.observations", "patients.context"), scoring.topics("Read"));
    // Its start-up check lists every catalogue topic (TopicAdmin): it must see them all.
    assertTrue(
        scoring.topics("Describe").containsAll(catalogue), "scoring describes the catalogue");
    assertEquals(
        Set.of("group:vigil-scoring", "topic:vigil-scoring-", "transactionalId:vigil-scoring"),
        scoring.prefixes());

    Acls alerts = Acls.of(named(strimzi, "KafkaUser", "vigil-alerts"));
    assertEquals(
        Set.of(
            "alerts.events",
            "alerts.actions",
            "audit.reads",
            "alerts.dead-letter",
            WEBHOOK_DEAD_LETTER,
            BUDGET_OBSERVATIONS,
            TEAM_THRESHOLDS),
        alerts.topics("Write"));
    assertEquals(
        Set.of(
            "risk.scores",
            "patients.context",
            "vitals.observations",
            "alerts.actions",
            "alerts.events",
            WEBHOOK_DEAD_LETTER,
            BUDGET_OBSERVATIONS,
            TEAM_THRESHOLDS,
            "services.status"),
        alerts.topics("Read"));
    assertTrue(alerts.topics("Describe").containsAll(alertsChecks), "alerts describes its topics");
    assertEquals(
        Set.of("group:vigil-alerts", "topic:vigil-alerts-", "transactionalId:vigil-alerts"),
        alerts.prefixes());

    for (Acls acls : List.of(ingest, scoring, alerts)) {
      assertTrue(acls.operations().stream().noneMatch("All"::equals), "no All operation");
      assertTrue(alertsChecks.containsAll(acls.literalTopics()), "only Vigil's topics");
    }
  }

  @Test
  void shouldRunScoringAsStatefulSetWithOwnStateStandbyAndStaticMembership() {
    JsonNode set = named(strimzi, "StatefulSet", "vigil-scoring").path("spec");
    JsonNode container = set.path("template").path("spec").path("containers").get(0);
    Map<String, JsonNode> env = env(container);
    assertEquals("1", env.get("KAFKA_STREAMS_NUM_STANDBY_REPLICAS").path("value").asText());
    assertEquals("$(POD_NAME)", env.get("KAFKA_STREAMS_GROUP_INSTANCE_ID").path("value").asText());
    assertEquals(
        "metadata.name",
        env.get("POD_NAME").path("valueFrom").path("fieldRef").path("fieldPath").asText());
    String stateDir = env.get("SCORING_STATE_DIR").path("value").asText();
    String claim = set.path("volumeClaimTemplates").get(0).path("metadata").path("name").asText();
    boolean onClaim = false;
    for (JsonNode mount : container.path("volumeMounts")) {
      onClaim |=
          claim.equals(mount.path("name").asText())
              && stateDir.startsWith(mount.path("mountPath").asText() + "/");
    }
    assertTrue(onClaim, "state directory " + stateDir + " is on the pod's own volume " + claim);
    JsonNode pdb = named(strimzi, "PodDisruptionBudget", "vigil-scoring").path("spec");
    assertEquals(
        set.path("selector").path("matchLabels"), pdb.path("selector").path("matchLabels"));
    JsonNode autoscaler = named(strimzi, "HorizontalPodAutoscaler", "vigil-ingest").path("spec");
    assertEquals("vigil-ingest", autoscaler.path("scaleTargetRef").path("name").asText());
  }

  @Test
  void shouldAdvertiseEachAlertsReplicaAtItsPodAddress() {
    JsonNode deployment = named(strimzi, "Deployment", "vigil-alerts").path("spec");
    assertTrue(deployment.path("replicas").asInt() > 1, "several alerts replicas by default");
    JsonNode container = deployment.path("template").path("spec").path("containers").get(0);
    Map<String, JsonNode> env = env(container);
    assertEquals(
        "status.podIP",
        env.get("VIGIL_ALERTS_ADVERTISED_HOST")
            .path("valueFrom")
            .path("fieldRef")
            .path("fieldPath")
            .asText(),
        "each replica advertises its own address for patient-history queries");
    assertEquals(
        container.path("ports").get(0).path("containerPort").asText(),
        env.get("PORT").path("value").asText(),
        "the advertised port is the one the container listens on");
  }

  @Test
  void shouldTakeEverySecretFromKubernetesSecretsAndNeverFromValues() {
    int secrets = 0;
    for (List<JsonNode> variant : List.of(strimzi, existing)) {
      for (JsonNode container : containers(variant)) {
        for (var entry : env(container).entrySet()) {
          if (entry.getKey().matches(".*(PASSWORD|SECRET|JAAS).*")) {
            secrets++;
            assertTrue(
                entry.getValue().path("valueFrom").has("secretKeyRef"),
                entry.getKey() + " of " + container.path("name").asText() + " is a secret ref");
          }
        }
      }
    }
    assertTrue(secrets >= 8, "Kafka passwords, trust store passwords, JWT secret: " + secrets);
    assertTrue(ofKind(strimzi, "Secret").isEmpty(), "the chart writes no Secret");
  }

  @Test
  void shouldPassLintAndTheKubernetesStrimziAndPrometheusOperatorSchemas(@TempDir Path dir)
      throws Exception {
    var lint = ChartTools.helm("lint", "--strict", CHART.toString());
    assertEquals(0, lint.status(), lint.output());
    var lintExisting =
        ChartTools.helm(
            "lint", "--strict", CHART.toString(), "-f", EXISTING_KAFKA_VALUES.toString());
    assertEquals(0, lintExisting.status(), lintExisting.output());

    Path a = Files.writeString(dir.resolve("strimzi.yaml"), strimziText);
    Path b = Files.writeString(dir.resolve("existing.yaml"), existingText);
    var valid = ChartTools.run(CHECK, 300, "node", "validate.mjs", a.toString(), b.toString());
    assertEquals(0, valid.status(), valid.output());
    assertTrue(
        valid.output().contains("valid: " + (strimzi.size() + existing.size())), valid.output());

    // The validator does reject what the API server would: an unknown field fails it.
    Path typo =
        Files.writeString(
            dir.resolve("typo.yaml"),
            strimziText.replace("podManagementPolicy: Parallel", "podManagmentPolicy: Parallel"));
    var invalid = ChartTools.run(CHECK, 300, "node", "validate.mjs", typo.toString());
    assertNotEquals(0, invalid.status(), invalid.output());
    assertTrue(invalid.output().contains("podManagmentPolicy"), invalid.output());
  }

  @Test
  void shouldRefuseValuesThatCarrySecretsOrLackTheKafkaAddress() throws Exception {
    var secretInValues =
        ChartTools.helm(
            "template", "vigil", CHART.toString(), "--set", "scoring.env.KAFKA_SASL_PASSWORD=x");
    assertNotEquals(0, secretInValues.status());
    assertTrue(secretInValues.output().contains("KAFKA_SASL_PASSWORD"), secretInValues.output());
    var noBootstrap =
        ChartTools.helm("template", "vigil", CHART.toString(), "--set", "kafka.mode=existing");
    assertNotEquals(0, noBootstrap.status());
    assertTrue(noBootstrap.output().contains("bootstrapServers"), noBootstrap.output());
  }

  @Test
  void shouldShipTheRepositoryRulesAndDashboardUnchanged(@TempDir Path dir) throws Exception {
    JsonNode rule = ofKind(strimzi, "PrometheusRule").get(0);
    ArrayNode groups = new ObjectMapper().createArrayNode();
    try (Stream<Path> files = Files.list(DEPLOY.resolve("prometheus/rules"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        groups.addAll((ArrayNode) ChartTools.readYaml(file).path("groups"));
      }
    }
    assertEquals(groups, rule.path("spec").path("groups"), "PrometheusRule groups vs rule files");
    Path extracted =
        Files.writeString(
            dir.resolve("rules.yml"),
            new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .writeValueAsString(rule.path("spec")));
    var check = ChartTools.run(dir, 60, "promtool", "check", "rules", extracted.toString());
    assertEquals(0, check.status(), check.output());

    JsonNode dashboards = ofKind(strimzi, "ConfigMap").get(0).path("data");
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(DEPLOY.resolve("grafana/dashboards"), "*.json")) {
      for (Path file : files) {
        assertEquals(
            Files.readString(file).strip(),
            dashboards.path(file.getFileName().toString()).asText().strip(),
            file.getFileName().toString());
      }
    }
    // The job label the rules and the dashboard select (vigil-*) comes from the pods' name label.
    for (JsonNode monitor : ofKind(strimzi, "PodMonitor")) {
      assertEquals("app.kubernetes.io/name", monitor.path("spec").path("jobLabel").asText());
      assertTrue(
          monitor
              .path("spec")
              .path("selector")
              .path("matchLabels")
              .path("app.kubernetes.io/name")
              .asText()
              .startsWith("vigil-"));
    }
  }

  private static List<JsonNode> containers(List<JsonNode> objects) {
    List<JsonNode> containers = new ArrayList<>();
    for (String kind : List.of("Deployment", "StatefulSet")) {
      for (JsonNode workload : ofKind(objects, kind)) {
        workload
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .forEach(containers::add);
      }
    }
    return containers;
  }

  private static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
    return env;
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> map = new HashMap<>();
    object.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }

  private static Set<String> textSet(JsonNode array) {
    Set<String> set = new TreeSet<>();
    array.forEach(n -> set.add(n.asText()));
    return set;
  }

  /** A KafkaUser's ACLs: literal topics per operation, and prefixed resources. */
  private record Acls(Map<String, Set<String>> topicsByOperation, Set<String> prefixes) {
    static Acls of(JsonNode user) {
      Map<String, Set<String>> byOperation = new HashMap<>();
      Set<String> prefixes = new TreeSet<>();
      for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
        JsonNode resource = acl.path("resource");
        String type = resource.path("type").asText();
        if ("prefix".equals(resource.path("patternType").asText())) {
          prefixes.add(type + ":" + resource.path("name").asText());
        } else {
          assertEquals("topic", type, "literal ACLs are on topics");
          for (JsonNode op : acl.path("operations")) {
            byOperation
                .computeIfAbsent(op.asText(), k -> new TreeSet<>())
                .add(resource.path("name").asText());
          }
        }
      }
      return new Acls(byOperation, prefixes);
    }

    Set<String> topics(String operation) {
      return topicsByOperation.getOrDefault(operation, Set.of());
    }

    Set<String> operations() {
      return topicsByOperation.keySet();
    }

    Set<String> literalTopics() {
      return topicsByOperation.values().stream()
          .flatMap(Set::stream)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }
}
