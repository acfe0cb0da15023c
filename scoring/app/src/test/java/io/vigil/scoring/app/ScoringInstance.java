package io.vigil.scoring.app;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.vigil.schemas.access.ApiKeyEntry;
import io.vigil.schemas.access.ApiKeyFile;
import io.vigil.schemas.access.Scope;
import io.vigil.scoring.app.topology.ScoringConfig;
import io.vigil.scoring.model.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/** A whole scoring instance (Micronaut HTTP and Kafka Streams) in the test JVM. */
final class ScoringInstance implements AutoCloseable {
  /** The nurse-session secret the tests sign with (never used outside tests). */
  static final String SESSION_SECRET = "test-session-secret-0123456789abcdefghijklmnop";

  private final ApplicationContext context;

  private ScoringInstance(ApplicationContext context) {
    this.context = context;
  }

  static ScoringInstance start(Map<String, String> env, ModelBundle bundle) {
    return new ScoringInstance(Application.start(env, bundle));
  }

  int port() {
    return context.getBean(EmbeddedServer.class).getPort();
  }

  /** The topology's windowing the instance runs with. */
  ScoringConfig topology() {
    return context.getBean(ScoringConfig.class);
  }

  ScoringService service() {
    return context.getBean(ScoringRuntime.class).service().orElseThrow();
  }

  KafkaStreams streams() {
    return service().streams();
  }

  @Override
  public void close() {
    context.close();
  }

  /** Adds a key to the key file under {@code home} and returns the token to present. */
  static synchronized String addKey(Path home, String tenant, Set<Scope> scopes)
      throws IOException {
    Path file = home.resolve(ApiKeyFile.DEFAULT_NAME);
    List<ApiKeyEntry> entries =
        Files.exists(file) ? new ArrayList<>(ApiKeyFile.read(file)) : new ArrayList<>();
    ApiKeyFile.NewKey key = ApiKeyFile.create("test-source", tenant, scopes, Instant.now());
    entries.add(key.entry());
    ApiKeyFile.write(file, entries);
    return key.token();
  }

  /** A nurse session token as alerts signs it: user, role, teams and tenant claims. */
  static String nurseToken(String user, String tenant, List<String> teams) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .subject(user)
            .claim("roles", List.of("NURSE"))
            .claim("teams", teams)
            .claim("tenant", tenant)
            .issueTime(new Date())
            .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SESSION_SECRET));
    return jwt.serialize();
  }
}
