package io.vigil.alerts.security;

import io.vigil.schemas.access.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets the service keeps under VIGIL_HOME when the environment does not give them. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /**
   * The HS256 signing secret of session cookies: 256 random bits, created on first start in {@code
   * alerts/jwt-secret}, owner-only from its first byte. Never printed or logged.
   */
  public static String jwtSecret(Path home, String fromEnv) {
    if (fromEnv != null && !fromEnv.isBlank()) {
      if (fromEnv.length() < 32) {
        throw new IllegalArgumentException("VIGIL_JWT_SECRET must be at least 32 characters");
      }
      return fromEnv;
    }
    Path file = home.resolve("alerts").resolve("jwt-secret");
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
      }
      String secret = randomToken(32);
      SecretFiles.write(file, secret);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the JWT secret in " + file, e);
    }
  }

  public static String randomToken(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
