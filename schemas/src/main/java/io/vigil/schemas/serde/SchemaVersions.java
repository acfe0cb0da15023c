package io.vigil.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.avro.Schema;

/**
 * The released versions of each record schema, kept as resources under {@code
 * io/vigil/schemas/released/<version>/<Record>.avsc} (self-contained, with every named type
 * inlined). {@code released/index.properties} lists the versions in release order. Readers decode
 * data written with any of them.
 */
public final class SchemaVersions {
  static final String ROOT = "io/vigil/schemas/released/";

  private SchemaVersions() {}

  /** The released version names, oldest first. */
  public static List<String> versions() {
    Properties index = new Properties();
    try (InputStream in = resource(ROOT + "index.properties")) {
      index.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> versions = new ArrayList<>();
    for (String v : index.getProperty("versions", "").split(",")) {
      if (!v.isBlank()) {
        versions.add(v.trim());
      }
    }
    return Collections.unmodifiableList(versions);
  }

  /** Every released schema of the record named {@code simpleName}, oldest first. */
  public static List<Schema> released(String simpleName) {
    List<Schema> schemas = new ArrayList<>();
    for (String version : versions()) {
      String path = ROOT + version + "/" + simpleName + ".avsc";
      InputStream in = SchemaVersions.class.getClassLoader().getResourceAsStream(path);
      if (in == null) {
        continue; // the record did not exist in that release
      }
      try (in) {
        schemas.add(
            new Schema.Parser().parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return schemas;
  }

  private static InputStream resource(String path) throws IOException {
    InputStream in = SchemaVersions.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IOException("missing resource " + path);
    }
    return in;
  }
}
