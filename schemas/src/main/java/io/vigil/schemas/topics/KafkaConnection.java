package io.vigil.schemas.topics;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * How every Kafka client of every Vigil service reaches the cluster: the bootstrap servers and the
 * transport security (TLS, SASL), read once from the environment and applied alike to producers,
 * consumers, admin clients and Kafka Streams, so that no client of a service talks to the cluster
 * differently from the others.
 *
 * <p>Environment variables (all optional but the first has a default):
 *
 * <ul>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS}: default {@code 127.0.0.1:9092};
 *   <li>{@code KAFKA_SECURITY_PROTOCOL}: {@code PLAINTEXT} (default), {@code SSL}, {@code
 *       SASL_PLAINTEXT} or {@code SASL_SSL};
 *   <li>{@code KAFKA_SASL_MECHANISM}: {@code PLAIN}, {@code SCRAM-SHA-256} or {@code SCRAM-SHA-512}
 *       (default {@code PLAIN} when the protocol uses SASL);
 *   <li>{@code KAFKA_SASL_USERNAME} and {@code KAFKA_SASL_PASSWORD}: the login module configuration
 *       is built from them (or give {@code KAFKA_SASL_JAAS_CONFIG} whole, e.g. for OAUTHBEARER);
 *   <li>{@code KAFKA_SSL_TRUSTSTORE_LOCATION}, {@code KAFKA_SSL_TRUSTSTORE_PASSWORD}, {@code
 *       KAFKA_SSL_TRUSTSTORE_TYPE}, {@code KAFKA_SSL_KEYSTORE_LOCATION}, {@code
 *       KAFKA_SSL_KEYSTORE_PASSWORD}, {@code KAFKA_SSL_KEY_PASSWORD}, {@code
 *       KAFKA_SSL_KEYSTORE_TYPE}, {@code KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM}: the matching
 *       {@code ssl.*} client settings (mutual TLS with a keystore).
 * </ul>
 *
 * <p>{@link #toString()} never shows a password or the login module configuration.
 */
public final class KafkaConnection {
  private static final Set<String> PROTOCOLS =
      Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
  private static final Set<String> MECHANISMS =
      Set.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "GSSAPI");
  private static final String[] SSL_SETTINGS = {
    "truststore.location",
    "truststore.password",
    "truststore.type",
    "keystore.location",
    "keystore.password",
    "key.password",
    "keystore.type",
    "endpoint.identification.algorithm"
  };

  private final String bootstrapServers;
  private final Map<String, String> security;

  private KafkaConnection(String bootstrapServers, Map<String, String> security) {
    this.bootstrapServers = bootstrapServers;
    this.security = Map.copyOf(security);
  }

  /** Plaintext to the given servers. */
  public static KafkaConnection plaintext(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  /** The connection of this process, from {@link System#getenv()}. */
  public static KafkaConnection fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * The connection the variables describe.
   *
   * @throws IllegalArgumentException naming the variable that is wrong or missing
   */
  public static KafkaConnection fromEnvironment(Map<String, String> env) {
    String servers = value(env, "KAFKA_BOOTSTRAP_SERVERS");
    if (servers == null) {
      servers = "127.0.0.1:9092";
    }
    String protocol = value(env, "KAFKA_SECURITY_PROTOCOL");
    protocol = protocol == null ? "PLAINTEXT" : protocol.toUpperCase(Locale.ROOT);
    if (!PROTOCOLS.contains(protocol)) {
      throw new IllegalArgumentException(
          "KAFKA_SECURITY_PROTOCOL must be one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL, got '"
              + protocol
              + "'");
    }
    Map<String, String> security = new LinkedHashMap<>();
    if (!protocol.equals("PLAINTEXT")) {
      security.put("security.protocol", protocol);
    }
    if (protocol.startsWith("SASL_")) {
      String mechanism = value(env, "KAFKA_SASL_MECHANISM");
      mechanism = mechanism == null ? "PLAIN" : mechanism.toUpperCase(Locale.ROOT);
      if (!MECHANISMS.contains(mechanism)) {
        throw new IllegalArgumentException(
            "KAFKA_SASL_MECHANISM must be one of " + MECHANISMS + ", got '" + mechanism + "'");
      }
      security.put("sasl.mechanism", mechanism);
      String jaas = value(env, "KAFKA_SASL_JAAS_CONFIG");
      if (jaas == null) {
        String user = value(env, "KAFKA_SASL_USERNAME");
        String password = value(env, "KAFKA_SASL_PASSWORD");
        if (user == null || password == null) {
          throw new IllegalArgumentException(
              "KAFKA_SECURITY_PROTOCOL "
                  + protocol
                  + " needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_JAAS_CONFIG)");
        }
        String module =
            mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : mechanism.startsWith("SCRAM")
                    ? "org.apache.kafka.common.security.scram.ScramLoginModule"
                    : null;
        if (module == null) {
          throw new IllegalArgumentException(
              "KAFKA_SASL_MECHANISM " + mechanism + " needs KAFKA_SASL_JAAS_CONFIG");
        }
        jaas =
            module + " required username=" + quoted(user) + " password=" + quoted(password) + ";";
      }
      security.put("sasl.jaas.config", jaas);
    }
    for (String setting : SSL_SETTINGS) {
      String name = "KAFKA_SSL_" + setting.toUpperCase(Locale.ROOT).replace('.', '_');
      String value = value(env, name);
      if (value != null) {
        if (!protocol.endsWith("SSL")) {
          throw new IllegalArgumentException(
              name
                  + " is set but KAFKA_SECURITY_PROTOCOL is "
                  + protocol
                  + ", not SSL or SASL_SSL");
        }
        security.put("ssl." + setting, value);
      }
    }
    return new KafkaConnection(servers, security);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The security protocol in use. */
  public String securityProtocol() {
    return security.getOrDefault("security.protocol", "PLAINTEXT");
  }

  /**
   * Bootstrap servers and security settings for any client (producer, consumer, admin, Streams).
   */
  public Properties properties() {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.putAll(security);
    return props;
  }

  /**
   * The security settings alone (no bootstrap servers), for clients whose servers come from
   * elsewhere; empty for plaintext.
   */
  public Properties securityProperties() {
    Properties props = new Properties();
    props.putAll(security);
    return props;
  }

  /** The same as a map, for client constructors that take one. */
  public Map<String, Object> map() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("bootstrap.servers", bootstrapServers);
    map.putAll(security);
    return map;
  }

  /** Adds bootstrap servers and security settings to {@code props} and returns it. */
  public Properties applyTo(Properties props) {
    props.putAll(properties());
    return props;
  }

  private static String value(Map<String, String> env, String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  private static String quoted(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Servers and protocol, never a secret. */
  @Override
  public String toString() {
    String mechanism = security.get("sasl.mechanism");
    return bootstrapServers
        + " ("
        + securityProtocol()
        + (mechanism == null ? "" : ", " + mechanism)
        + ")";
  }
}
