package io.vigil.deploy.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Looks through services' logs for what must never be in them: a secret (an API key, a password,
 * the session signing secret: given by value), anything shaped like a credential (a bearer token, a
 * JWT, a password field or header), and patient data beyond the patient key (a request body, a
 * reading's device or source id, given by value). The one exception is the demo banner, which shows
 * a demo credential once, on the service's first start ({@code shown only now}).
 */
public final class LogScan {
  private static final String DEMO_BANNER = "shown only now: ";
  private static final List<Pattern> CREDENTIAL_SHAPES =
      List.of(
          Pattern.compile("(?i)bearer\\s+[A-Za-z0-9._~+/=-]{8,}"),
          Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),
          // Kafka clients print their configuration with passwords as null or [hidden].
          Pattern.compile("(?i)password\\s*[=:]\\s*\"?(?!null\\b|\\[hidden])[^\\s\",}]{4,}"),
          Pattern.compile("(?i)\\b(authorization|cookie|x-api-key)\\s*[:=]\\s*\\S"),
          Pattern.compile("\"(readings|resourceType|valueQuantity)\"\\s*:"));

  /** One line that should not be there. */
  public record Finding(String service, int line, String what) {
    @Override
    public String toString() {
      return service + " line " + line + ": " + what;
    }
  }

  private LogScan() {}

  /**
   * @param logs each service's lines, by a name for the service (e.g. {@code scoring-2})
   * @param secrets values that must not appear, by what they are (the value is never repeated in a
   *     finding)
   * @param patientData values of patient data beyond the key that must not appear, by what they are
   */
  public static List<Finding> scan(
      Map<String, List<String>> logs,
      Map<String, String> secrets,
      Map<String, String> patientData) {
    List<Finding> found = new ArrayList<>();
    for (Map.Entry<String, List<String>> log : logs.entrySet()) {
      List<String> lines = log.getValue();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i);
        boolean banner = line.contains(DEMO_BANNER);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
          if (line.contains(secret.getValue())
              && !(banner && line.indexOf(secret.getValue()) > line.indexOf(DEMO_BANNER))) {
            found.add(new Finding(log.getKey(), i + 1, secret.getKey()));
          }
        }
        for (Map.Entry<String, String> data : patientData.entrySet()) {
          if (line.contains(data.getValue())) {
            found.add(new Finding(log.getKey(), i + 1, data.getKey()));
          }
        }
        if (!banner) {
          for (Pattern shape : CREDENTIAL_SHAPES) {
            if (shape.matcher(line).find()) {
              found.add(new Finding(log.getKey(), i + 1, "text shaped like " + shape.pattern()));
            }
          }
        }
      }
    }
    return found;
  }
}
