package io.vigil.alerts.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** Secrets the service keeps under VIGIL_HOME when the environment does not give them. */
public final class Secrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** The HS256 signing secret of session cookies: 256 random bits, created on first start. */
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
      Files.createDirectories(file.getParent());
      String secret = randomToken(32);
      Files.writeString(file, secret, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      restrict(file);
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

  static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: the folder's own permissions apply.
    }
  }
}
