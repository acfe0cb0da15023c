package io.vigil.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The log scan finds each kind of leak, names it without repeating it, and passes plain lines. */
class LogScanTest {
  private static final String KEY = "vgl_3f9a8c7d6e5b4a39";

  private static List<String> findings(String... lines) {
    return LogScan.scan(
            Map.of("ingest-0", List.of(lines)),
            Map.of("the platform's API key", KEY),
            Map.of("a reading's device id", "wrist-0042"))
        .stream()
        .map(LogScan.Finding::toString)
        .toList();
  }

  @Test
  void shouldPassPlainLinesKafkaConfigDumpsAndTheDemoBanner() {
    assertEquals(
        List.of(),
        findings(
            "12:00:01 INFO scoring - window of demo/sim-0001 scored",
            "\tssl.truststore.password = null",
            "\tsasl.jaas.config = [hidden]",
            "\tssl.key.password = [hidden]",
            "demo: created source demo (tenant demo); its API key, shown only now: " + KEY));
  }

  @Test
  void shouldFindEachKindOfLeakWithoutRepeatingTheSecret() {
    List<String> found =
        findings(
            "WARN rejected request with key " + KEY,
            "DEBUG header Authorization: Bearer abcdefgh12345678",
            "DEBUG session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.sig",
            "INFO login password=hunter22",
            "DEBUG body {\"readings\":[{\"id\":\"r1\"}]}",
            "INFO observation from wrist-0042",
            "INFO before the banner " + KEY + " shown only now: nothing");
    assertEquals(
        List.of(
            "ingest-0 line 1: the platform's API key",
            "ingest-0 line 2: text shaped like (?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}",
            "ingest-0 line 2: text shaped like (?i)\\b(authorization|cookie|x-api-key)\\s*[:=]\\s*\\S",
            "ingest-0 line 3: text shaped like eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}",
            "ingest-0 line 4: text shaped like "
                + "(?i)password\\s*[=:]\\s*\"?(?!null\\b|\\[hidden])[^\\s\",}]{4,}",
            "ingest-0 line 5: text shaped like \"(readings|resourceType|valueQuantity)\"\\s*:",
            "ingest-0 line 6: a reading's device id",
            "ingest-0 line 7: the platform's API key"),
        found);
    found.forEach(f -> assertEquals(-1, f.indexOf(KEY), "a finding never repeats the secret"));
  }
}
