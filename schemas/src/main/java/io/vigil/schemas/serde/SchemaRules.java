package io.vigil.schemas.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;

/**
 * The contract's house rules for schemas: every named type and field is documented (the field's doc
 * gives its unit, or says it has none, and ends with a period), optional fields are {@code ["null",
 * T]} with a null default, enum symbols are UPPER_SNAKE, and the namespace matches the folder the
 * file lives in.
 */
public final class SchemaRules {
  private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

  private SchemaRules() {}

  /**
   * Checks one schema file.
   *
   * @param relativePath path of the file under the schema root, e.g. {@code
   *     io/vigil/schemas/vitals/VitalObservation.avsc}
   * @return the violations, empty when the file follows every rule
   */
  public static List<String> check(String relativePath, Schema schema) {
    List<String> violations = new ArrayList<>();
    String normalized = relativePath.replace('\\', '/');
    String expectedFile = schema.getName() + ".avsc";
    if (!normalized.endsWith("/" + expectedFile)) {
      violations.add(relativePath + ": file must be named after its type, " + expectedFile);
    }
    String folder =
        normalized.contains("/") ? normalized.substring(0, normalized.lastIndexOf('/')) : "";
    String namespace = schema.getNamespace() == null ? "" : schema.getNamespace();
    if (!folder.equals(namespace.replace('.', '/'))) {
      violations.add(
          relativePath + ": namespace " + namespace + " must match its folder " + folder);
    }
    checkNamed(schema, violations);
    return violations;
  }

  private static void checkNamed(Schema schema, List<String> violations) {
    String name = schema.getFullName();
    if (schema.getDoc() == null || schema.getDoc().isBlank()) {
      violations.add(name + ": type has no doc");
    }
    switch (schema.getType()) {
      case ENUM -> {
        for (String symbol : schema.getEnumSymbols()) {
          if (!UPPER_SNAKE.matcher(symbol).matches()) {
            violations.add(name + ": enum symbol " + symbol + " is not UPPER_SNAKE");
          }
        }
      }
      case RECORD -> {
        for (Schema.Field field : schema.getFields()) {
          checkField(name, field, violations);
        }
      }
      default -> {}
    }
  }

  private static void checkField(String record, Schema.Field field, List<String> violations) {
    String where = record + "." + field.name();
    String doc = field.doc();
    if (doc == null || doc.isBlank()) {
      violations.add(where + ": field has no doc");
    } else if (!doc.strip().endsWith(".")) {
      violations.add(where + ": doc must end with a period");
    }
    Schema type = field.schema();
    if (type.getType() == Schema.Type.UNION) {
      List<Schema> branches = type.getTypes();
      boolean nullable = branches.stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
      if (nullable) {
        if (branches.size() != 2 || branches.get(0).getType() != Schema.Type.NULL) {
          violations.add(where + ": optional field must be [\"null\", T]");
        }
        if (!field.hasDefaultValue() || field.defaultVal() != JsonProperties.NULL_VALUE) {
          violations.add(where + ": optional field must default to null");
        }
      }
    }
  }
}
