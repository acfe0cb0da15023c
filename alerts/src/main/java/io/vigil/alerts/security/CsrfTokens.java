package io.vigil.alerts.security;

import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CSRF tokens bound to the signed-in user: HMAC-SHA256 of the user name under a key derived from
 * the server secret. The UI reads its token from /api/me and sends it in {@value #HEADER}; a
 * cross-site page can neither read it nor, with the SameSite=Strict cookie, ride the session.
 */
@Singleton
public final class CsrfTokens {
  public static final String HEADER = "X-Vigil-Csrf";
  private final byte[] key;

  public CsrfTokens(
      @Value("${micronaut.security.token.jwt.signatures.secret.generator.secret}") String secret) {
    this.key = hmac(secret.getBytes(StandardCharsets.UTF_8), "vigil-csrf");
  }

  public String tokenFor(String user) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, user));
  }

  public boolean valid(String user, String token) {
    return token != null
        && MessageDigest.isEqual(
            tokenFor(user).getBytes(StandardCharsets.UTF_8),
            token.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
