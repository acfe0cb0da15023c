package io.vigil.schemas.serde;

import io.vigil.schemas.topics.TopicSpec;
import io.vigil.schemas.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Records a release of the contract: writes the current, self-contained schema of every key and
 * value type of the topic catalogue to {@code <resources>/io/vigil/schemas/released/<version>/}.
 * Run it when a version ships, then add the version to {@code released/index.properties}; from then
 * on every change must stay backward compatible with it.
 *
 * <p>Usage: {@code ReleaseSchemas <resources-dir> <version>}.
 */
public final class ReleaseSchemas {
  private ReleaseSchemas() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: ReleaseSchemas <resources-dir> <version>");
    }
    Path dir = Path.of(args[0]).resolve(SchemaVersions.ROOT).resolve(args[1]);
    Files.createDirectories(dir);
    for (Schema schema : catalogueSchemas()) {
      Files.writeString(
          dir.resolve(schema.getName() + ".avsc"),
          schema.toString(true) + "\n",
          StandardCharsets.UTF_8);
    }
  }

  /**
   * The key and value schemas of every topic of the catalogue (topics that carry raw bytes, such as
   * dead letters, have none).
   */
  public static Set<Schema> catalogueSchemas() {
    Set<Schema> schemas = new LinkedHashSet<>();
    for (TopicSpec<?, ?> topic : Topics.all()) {
      if (topic.keySerde() instanceof AvroSerde<?> key) {
        schemas.add(key.schema());
      }
      if (topic.valueSerde() instanceof AvroSerde<?> value) {
        schemas.add(value.schema());
      }
    }
    return schemas;
  }
}
