package io.vigil.scoring.app.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.vigil.schemas.VigilHome;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies nurse session tokens (HS256 JWTs) signed by alerts with the shared secret: {@code
 * VIGIL_JWT_SECRET}, or the file alerts keeps its generated secret in. The file is read when a
 * token first needs it, so scoring may start before alerts created it; until a secret is known,
 * every session token is refused.
 */
@Singleton
@Named("vigil-session")
public final class SessionSignature implements SignatureConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(SessionSignature.class);
  private final String configured;
  private final Path file;
  private volatile MACVerifier verifier;

  public SessionSignature(AccessConfig access, VigilHome home) {
    this.configured = access.configuredSessionSecret();
    this.file = access.sessionSecretPath(home);
  }

  @Override
  public String supportedAlgorithmsMessage() {
    return "Only the HS256 algorithm is supported";
  }

  @Override
  public boolean supports(JWSAlgorithm algorithm) {
    return JWSAlgorithm.HS256.equals(algorithm);
  }

  @Override
  public boolean verify(SignedJWT jwt) throws JOSEException {
    MACVerifier v = verifier();
    return v != null && jwt.verify(v);
  }

  private MACVerifier verifier() throws JOSEException {
    MACVerifier v = verifier;
    if (v != null) {
      return v;
    }
    String secret = configured;
    if (secret == null) {
      try {
        if (!Files.isReadable(file)) {
          return null;
        }
        secret = Files.readString(file, StandardCharsets.UTF_8).trim();
      } catch (IOException e) {
        LOG.warn("cannot read the session secret file {}: {}", file, e.getMessage());
        return null;
      }
    }
    if (secret.length() < 32) {
      LOG.warn("the session secret is shorter than 32 characters: session tokens refused");
      return null;
    }
    verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
    return verifier;
  }
}
