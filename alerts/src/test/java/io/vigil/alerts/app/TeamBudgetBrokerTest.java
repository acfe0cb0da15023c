package io.vigil.alerts.app;

import static io.vigil.alerts.app.AlertsApp.ADA;
import static io.vigil.alerts.app.AlertsApp.ADA_PASSWORD;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.vigil.alerts.AlertEventsTopic;
import io.vigil.alerts.Scores;
import io.vigil.alerts.lifecycle.AlertsTopology;
import io.vigil.alerts.lifecycle.LifecycleConfig;
import io.vigil.alerts.policy.AlertBudget;
import io.vigil.alerts.policy.PolicyBook;
import io.vigil.alerts.policy.TeamPolicy;
import io.vigil.alerts.streams.AlertsStreams;
import io.vigil.alerts.streams.VitalsHistory;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertEvent;
import io.vigil.schemas.alerts.AlertEventType;
import io.vigil.schemas.alerts.LstmThresholdSource;
import io.vigil.schemas.alerts.TeamThreshold;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.patients.PatientContext;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.topics.Topics;
import io.vigil.testkit.TestKafka;
import io.vigil.testkit.WithKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * A care team's alert budget with two instances in one streams group on a real broker, as the Helm
 * chart runs them: the service and a second instance (its lifecycle and vitals history as two Kafka
 * Streams clients, as the service runs them) share the patients' partitions, yet the team's
 * threshold is derived from all its patients in one place, reaches both instances, is shown to the
 * nurse and exported as a metric, and patients on either instance are judged against it.
 */
@WithKafka
class TeamBudgetBrokerTest {
  private static final double MODEL = 0.0211;
  private static final AlertBudget BUDGET =
      new AlertBudget(0.5, Duration.ofDays(7), Duration.ofHours(1), 0.25, 1);

  private final String tenant = TestKafka.unique("budget");
  private final String teamKey = tenant + "/ward-1";
  private final Instant base =
      Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(30));

  private RiskScore score(int hour, double risk) {
    return RiskScore.newBuilder(Scores.score(base.plus(Duration.ofHours(hour)), risk, 0))
        .setLstmThreshold(MODEL)
        .build();
  }

  private static int partitionOf(PatientKey key) {
    byte[] bytes = Topics.PATIENT_KEY.serializer().serialize(Topics.RISK_SCORES.name(), key);
    return Utils.toPositive(Utils.murmur2(bytes)) % Topics.PATIENT_PARTITIONS;
  }

  private static Set<Integer> scorePartitions(KafkaStreams streams) {
    Set<Integer> out = new HashSet<>();
    streams
        .metadataForLocalThreads()
        .forEach(
            t ->
                t.activeTasks()
                    .forEach(
                        task ->
                            task.topicPartitions().stream()
                                .filter(tp -> tp.topic().equals(Topics.RISK_SCORES.name()))
                                .forEach(tp -> out.add(tp.partition()))));
    return out;
  }

  private void hour(TestKafka kafka, List<PatientKey> patients, int h) throws Exception {
    Map<PatientKey, RiskScore> scores = new LinkedHashMap<>();
    for (int i = 0; i < patients.size(); i++) {
      scores.put(patients.get(i), score(h, (h + i) % 2 == 0 ? 0.03 : 0.01));
    }
    kafka.produce(Topics.RISK_SCORES, scores);
  }

  private void contexts(TestKafka kafka, List<PatientKey> patients) throws Exception {
    Map<PatientKey, PatientContext> ctx = new LinkedHashMap<>();
    patients.forEach(p -> ctx.put(p, Scores.context(base, "ward-1")));
    kafka.produce(Topics.PATIENTS_CONTEXT, ctx);
  }

  private List<AlertEvent> lstmRaised(TestKafka kafka, Duration wait) {
    return AlertEventsTopic.read(
        kafka,
        1000,
        wait,
        (k, e) ->
            tenant.equals(k.getTenant())
                && e.getType() == AlertEventType.RAISED
                && e.getCause() == AlertCause.LSTM_RISK);
  }

  @Test
  void shouldDeriveOneThresholdPerTeamAcrossInstancesAndJudgeEveryPatientAgainstIt(TestKafka kafka)
      throws Exception {
    String appId = TestKafka.unique("alerts-budget");
    String policy = "vigil.alerts.tenants." + tenant + ".teams.ward-1.policy.";
    AlertsApp app =
        AlertsApp.start(
            kafka,
            tenant,
            Map.of(
                "vigil.alerts.application-id",
                appId,
                policy + "alert-budget",
                "0.5",
                policy + "budget-min-patient-days",
                "1"));
    TeamPolicy defaults = TeamPolicy.defaults();
    LifecycleConfig settings =
        LifecycleConfig.defaults(
            new PolicyBook(defaults, Map.of(teamKey, defaults.withBudget(BUDGET))));
    // The service's shape: the lifecycle and the vitals history as two clients, each joining the
    // service's group of the same application id with the same topology.
    KafkaStreams second =
        new KafkaStreams(
            AlertsTopology.build(settings),
            AlertsTopology.streamsConfig(
                appId, kafka.bootstrapServers(), Files.createTempDirectory("alerts-second")));
    KafkaStreams secondHistory =
        new KafkaStreams(
            VitalsHistory.topology(),
            AlertsTopology.streamsConfig(
                appId + AlertsStreams.HISTORY_SUFFIX,
                kafka.bootstrapServers(),
                Files.createTempDirectory("alerts-second-history")));
    second.start();
    secondHistory.start();
    try {
      JsonMapper json = app.context.getBean(JsonMapper.class);
      Browserless ada = new Browserless(app.base);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> ada.login(ADA, ADA_PASSWORD).statusCode() == 200);
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                int held = scorePartitions(second).size();
                return second.state() == KafkaStreams.State.RUNNING
                    && held > 0
                    && held < Topics.PATIENT_PARTITIONS;
              });
      Set<Integer> secondHolds = scorePartitions(second);

      List<PatientKey> ward = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++) {
        ward.add(PatientKeys.of(tenant, "p" + i));
      }
      contexts(kafka, ward);
      for (int h = 1; h <= 26; h++) {
        hour(kafka, ward, h);
      }

      // The nurse of ward-1 sees the derived threshold, on every instance the same.
      Map<?, ?>[] shown = new Map<?, ?>[1];
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                var r = ada.get("/api/teams/thresholds");
                Map<String, Object> body =
                    json.readValue(r.body(), Argument.mapOf(String.class, Object.class));
                Map<?, ?> team = (Map<?, ?>) ((List<?>) body.get("teams")).get(0);
                shown[0] = team;
                return "BUDGET".equals(team.get("source"))
                    && ((Number) team.get("threshold")).doubleValue() > 0.03;
              });
      Map<?, ?> team = shown[0];
      assertEquals(teamKey, team.get("team"));
      assertEquals(0.5, ((Number) team.get("budget")).doubleValue());
      assertTrue(((Number) team.get("observedRate")).doubleValue() <= 0.5, team.toString());
      assertTrue(((Number) team.get("patientDays")).doubleValue() >= 1, team.toString());
      double threshold = ((Number) team.get("threshold")).doubleValue();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                ReadOnlyKeyValueStore<String, TeamThreshold> store =
                    second.store(
                        StoreQueryParameters.fromNameAndType(
                            AlertsTopology.TEAM_THRESHOLDS_STORE,
                            QueryableStoreTypes.keyValueStore()));
                TeamThreshold t = store.get(teamKey);
                return t != null && t.getThreshold() >= threshold;
              });
      String metrics = new Browserless(app.base).get("/metrics").body();
      assertTrue(
          metrics
              .lines()
              .anyMatch(
                  l ->
                      l.startsWith("vigil_alerts_lstm_threshold{")
                          && l.contains("tenant=\"" + tenant + "\"")
                          && l.contains("team=\"ward-1\"")
                          && l.contains("source=\"budget\"")),
          metrics);

      // New patients on both instances: 0.03 raises nothing any more, 0.5 raises against the
      // team's threshold.
      List<PatientKey> high = new java.util.ArrayList<>();
      List<PatientKey> low = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        high.add(PatientKeys.of(tenant, "high" + i));
        low.add(PatientKeys.of(tenant, "low" + i));
      }
      Set<Boolean> onSecond = new HashSet<>();
      high.forEach(p -> onSecond.add(secondHolds.contains(partitionOf(p))));
      assertEquals(Set.of(true, false), onSecond, "the new patients are on both instances");
      contexts(kafka, high);
      contexts(kafka, low);
      Map<PatientKey, RiskScore> last = new LinkedHashMap<>();
      high.forEach(p -> last.put(p, score(27, 0.5)));
      low.forEach(p -> last.put(p, score(27, 0.03)));
      kafka.produce(Topics.RISK_SCORES, last);

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  lstmRaised(kafka, Duration.ofSeconds(3)).stream()
                          .filter(e -> e.getAlertId() != null)
                          .count()
                      >= 8);
      List<AlertEvent> raised = lstmRaised(kafka, Duration.ofSeconds(3));
      List<AlertEvent> afterDerivation =
          raised.stream()
              .filter(e -> e.getWindowEnd().equals(base.plus(Duration.ofHours(27))))
              .toList();
      assertEquals(8, afterDerivation.size(), "each 0.5 patient alerts, no 0.03 one: " + raised);
      for (AlertEvent e : afterDerivation) {
        assertEquals(LstmThresholdSource.BUDGET, e.getLstmThresholdSource());
        assertTrue(e.getLstmThreshold() >= threshold, "judged against " + e.getLstmThreshold());
      }

      // The ward overview and the patient's risk chart mark the threshold the team judges
      // against, not the model's carried on the scores.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                Map<String, Object> body =
                    json.readValue(
                        ada.get("/api/ward").body(), Argument.mapOf(String.class, Object.class));
                List<?> rows = (List<?>) body.get("patients");
                return rows.stream()
                        .map(r -> (Map<?, ?>) r)
                        .filter(r -> String.valueOf(r.get("patient")).contains("/high"))
                        .filter(r -> r.get("riskThreshold") != null)
                        .count()
                    == high.size();
              });
      Map<String, Object> overview =
          json.readValue(ada.get("/api/ward").body(), Argument.mapOf(String.class, Object.class));
      for (Object o : (List<?>) overview.get("patients")) {
        Map<?, ?> row = (Map<?, ?>) o;
        double marked = ((Number) row.get("riskThreshold")).doubleValue();
        assertTrue(marked >= threshold && marked != MODEL, "ward row marks " + row);
      }
    } finally {
      KafkaStreams.CloseOptions leave =
          new KafkaStreams.CloseOptions().timeout(Duration.ofSeconds(30)).leaveGroup(true);
      secondHistory.close(leave);
      second.close(leave);
      app.close();
    }
  }
}
