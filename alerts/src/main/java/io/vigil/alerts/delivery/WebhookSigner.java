package io.vigil.alerts.delivery;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies: header {@value #HEADER} = {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "t.body">}. Signing the timestamp with the body lets a receiver reject replays older than it
 * tolerates.
 */
public final class WebhookSigner {
  public static final String HEADER = "X-Vigil-Signature";

  private WebhookSigner() {}

  public static String header(String secret, long unixSeconds, String body) {
    return "t=" + unixSeconds + ",v1=" + hmacHex(secret, unixSeconds + "." + body);
  }

  public static String hmacHex(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
