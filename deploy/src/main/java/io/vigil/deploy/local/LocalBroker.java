package io.vigil.deploy.local;

import io.vigil.schemas.topics.TopicAdmin;
import io.vigil.schemas.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker in KRaft combined mode (broker and controller in one process),
 * run from the Kafka Maven artifacts, with its data in a local folder that survives restarts. On
 * first start the storage is formatted with a new cluster id; the catalogue's topics are created
 * when missing.
 */
public final class LocalBroker implements AutoCloseable {
  private final Path dataDir;
  private final String host;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;
  private int saslPort = -1;
  private Map<String, String> saslUsers = Map.of();

  public LocalBroker(Path dataDir, String host, int port, int controllerPort) {
    this.dataDir = dataDir;
    this.host = host;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  /**
   * Adds a second listener on {@code port} that requires SASL/PLAIN authentication by one of {@code
   * users} (name to password), as a cluster with authentication on would; the first listener stays
   * plaintext (the broker's own and the launcher's use). Call before {@link #start()}.
   */
  public LocalBroker withSaslListener(int port, Map<String, String> users) {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("a SASL listener needs at least one user");
    }
    this.saslPort = port;
    this.saslUsers = Map.copyOf(users);
    return this;
  }

  /** The SASL listener's address; only with {@link #withSaslListener}. */
  public String saslBootstrapServers() {
    if (saslPort < 0) {
      throw new IllegalStateException("no SASL listener configured");
    }
    return host + ":" + saslPort;
  }

  /** Formats the storage if needed, starts the broker and creates missing topics. */
  public List<String> start() throws Exception {
    Files.createDirectories(dataDir);
    Path logs = dataDir.resolve("logs");
    Properties props = serverProperties(logs);
    Path config = dataDir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
      props.store(out, "Vigil local broker (generated on each start)");
    }
    if (!Files.exists(logs.resolve("meta.properties"))) {
      format(config);
    }
    server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    try (Admin client = Admin.create(admin)) {
      return TopicAdmin.ensureTopics(client, Topics.all(), (short) 1);
    }
  }

  private void format(Path config) throws IOException {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      status =
          StorageTool.execute(
              new String[] {
                "format",
                "-t",
                Uuid.randomUuid().toString(),
                "-c",
                config.toString(),
                "--ignore-formatted"
              },
              out);
    }
    if (status != 0) {
      throw new IOException(
          "could not format Kafka storage in "
              + dataDir
              + ": "
              + captured.toString(StandardCharsets.UTF_8));
    }
  }

  Properties serverProperties(Path logs) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    String sasl = saslPort < 0 ? "" : ",SASL_PLAINTEXT://" + host + ":" + saslPort;
    props.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort + sasl);
    props.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port + sasl);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT");
    if (saslPort >= 0) {
      StringBuilder jaas =
          new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      saslUsers.forEach(
          (user, password) ->
              jaas.append(" user_").append(user).append("=\"").append(password).append('"'));
      props.put("sasl.enabled.mechanisms", "PLAIN");
      props.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", "PLAIN");
      props.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", jaas.append(';').toString());
    }
    props.put("log.dirs", logs.toString());
    props.put("num.partitions", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    return props;
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }
}
