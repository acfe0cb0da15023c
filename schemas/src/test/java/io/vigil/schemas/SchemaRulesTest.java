package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.schemas.serde.SchemaRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class SchemaRulesTest {
  static final Path AVRO_ROOT = Path.of("src/main/avro");

  /** Parses every .avsc of the module, dependencies first, as the code generator does. */
  static List<Path> schemaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(AVRO_ROOT)) {
      return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
    }
  }

  @Test
  void everySchemaFileFollowsTheContractRules() throws IOException {
    List<Path> files = schemaFiles();
    assertTrue(files.size() >= 15, "expected the whole contract, found " + files.size());
    List<String> violations = new ArrayList<>();
    List<Schema> known = new ArrayList<>();
    List<Path> pending = new ArrayList<>(files);
    // Files reference each other; parse in rounds, each file with the types resolved so far.
    while (!pending.isEmpty()) {
      List<Path> failed = new ArrayList<>();
      for (Path file : pending) {
        try {
          Schema schema = new Schema.Parser().addTypes(known).parse(Files.readString(file));
          known.add(schema);
          violations.addAll(SchemaRules.check(AVRO_ROOT.relativize(file).toString(), schema));
        } catch (org.apache.avro.AvroRuntimeException e) {
          failed.add(file);
        }
      }
      if (failed.size() == pending.size()) {
        throw new AssertionError("unresolvable schema files: " + failed);
      }
      pending = failed;
    }
    assertEquals(List.of(), violations);
  }

  @Test
  void shouldReportAFieldThatLostItsDoc() {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Reading", "namespace": "io.vigil.schemas.vitals",
                 "doc": "A reading.",
                 "fields": [{"name": "value", "type": "double"}]}
                """);
    List<String> violations = SchemaRules.check("io/vigil/schemas/vitals/Reading.avsc", schema);
    assertEquals(List.of("io.vigil.schemas.vitals.Reading.value: field has no doc"), violations);
  }

  @Test
  void shouldReportOptionalFieldsWithoutNullFirstOrNullDefault() {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "Reading", "namespace": "io.vigil.schemas.vitals",
                 "doc": "A reading.",
                 "fields": [
                   {"name": "a", "type": ["string", "null"], "default": "x", "doc": "No unit."},
                   {"name": "b", "type": ["null", "string"], "doc": "No unit"}]}
                """);
    List<String> violations = SchemaRules.check("io/vigil/schemas/vitals/Reading.avsc", schema);
    assertTrue(
        violations.contains(
            "io.vigil.schemas.vitals.Reading.a: optional field must be [\"null\", T]"));
    assertTrue(
        violations.contains(
            "io.vigil.schemas.vitals.Reading.a: optional field must default to null"));
    assertTrue(
        violations.contains(
            "io.vigil.schemas.vitals.Reading.b: optional field must default to null"));
    assertTrue(
        violations.contains("io.vigil.schemas.vitals.Reading.b: doc must end with a period"));
  }

  @Test
  void shouldReportNamespaceNotMatchingFolderAndLowercaseEnumSymbols() {
    Schema schema =
        new Schema.Parser()
            .parse(
                """
                {"type": "enum", "name": "Level", "namespace": "io.vigil.schemas.alerts",
                 "doc": "Levels.", "symbols": ["HIGH", "low"]}
                """);
    List<String> violations = SchemaRules.check("io/vigil/schemas/risk/Level.avsc", schema);
    assertEquals(2, violations.size(), violations.toString());
    assertFalse(SchemaRules.check("io/vigil/schemas/alerts/Other.avsc", schema).isEmpty());
  }
}
