package io.vigil.scoring.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.schemas.News2SubScores;
import io.vigil.schemas.PatientKeys;
import io.vigil.schemas.common.PatientKey;
import io.vigil.schemas.risk.Contributor;
import io.vigil.schemas.risk.News2Parameter;
import io.vigil.schemas.risk.News2Score;
import io.vigil.schemas.risk.RiskScore;
import io.vigil.schemas.risk.VitalCompleteness;
import java.util.List;

/** The JSON shape of the risk API: one object per scored window, instants as ISO-8601 text. */
final class RiskJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private RiskJson() {}

  static ObjectNode response(
      PatientKey patient, String from, String to, List<RiskQueries.Scored> scores) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("patient", PatientKeys.format(patient));
    root.put("from", from);
    root.put("to", to);
    ArrayNode array = root.putArray("scores");
    for (RiskQueries.Scored scored : scores) {
      ObjectNode node = score(scored.latest());
      if (!scored.earlier().isEmpty()) {
        ArrayNode earlier = node.putArray("earlierRevisions");
        scored.earlier().forEach(s -> earlier.add(score(s)));
      }
      array.add(node);
    }
    return root;
  }

  static ObjectNode score(RiskScore s) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("windowStart", s.getWindowStart().toString());
    node.put("windowEnd", s.getWindowEnd().toString());
    if (s.getLstmRisk() == null) {
      node.putNull("lstmRisk");
    } else {
      node.put("lstmRisk", s.getLstmRisk());
    }
    node.put("modelVersion", s.getModelVersion());
    node.put("revision", s.getRevision());
    node.put("lateReadings", s.getLateReadings());
    ArrayNode lateVitals = node.putArray("lateVitals");
    s.getLateVitals().forEach(lateVitals::add);
    if (s.getRevision() > 0) {
      if (s.getPreviousLstmRisk() == null) {
        node.putNull("previousLstmRisk");
      } else {
        node.put("previousLstmRisk", s.getPreviousLstmRisk());
      }
      node.put("previousNews2Total", s.getPreviousNews2Total());
    }
    node.put("scoredAt", s.getScoredAt().toString());
    node.set("news2", news2(s.getNews2()));
    ArrayNode completeness = node.putArray("completeness");
    for (VitalCompleteness c : s.getCompleteness()) {
      completeness
          .addObject()
          .put("vital", c.getVital().name())
          .put("observedHours", c.getObservedHours())
          .put("fraction", c.getFraction());
    }
    ArrayNode contributors = node.putArray("contributors");
    for (Contributor c : s.getContributors()) {
      contributors
          .addObject()
          .put("vital", c.getVital().name())
          .put("attribution", c.getAttribution());
    }
    return node;
  }

  private static ObjectNode news2(News2Score n) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("total", n.getTotal());
    node.put("complete", n.getComplete());
    ArrayNode missing = node.putArray("missing");
    for (News2Parameter p : n.getMissing()) {
      missing.add(p.name());
    }
    node.put("spo2Scale2", n.getSpo2Scale2());
    node.put("singleParameter3", n.getSingleParameter3());
    ObjectNode sub = node.putObject("subScores");
    News2SubScores.of(n).forEach((parameter, points) -> put(sub, parameter, points));
    return node;
  }

  private static void put(ObjectNode node, String field, Integer value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }
}
