package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vigil.schemas.serde.ReleaseSchemas;
import io.vigil.schemas.serde.SchemaVersions;
import io.vigil.schemas.vitals.VitalObservation;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

class SchemaCompatibilityTest {

  @Test
  void everyCurrentSchemaReadsDataWrittenWithEveryReleasedVersion() {
    List<String> problems = new ArrayList<>();
    for (Schema current : ReleaseSchemas.catalogueSchemas()) {
      List<Schema> released = SchemaVersions.released(current.getName());
      if (released.isEmpty()) {
        problems.add(current.getName() + " has no released version kept in the module");
      }
      for (Schema old : released) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
          problems.add(current.getName() + ": " + result.getDescription());
        }
      }
    }
    assertEquals(List.of(), problems);
  }

  @Test
  void shouldDetectARequiredFieldAddedWithoutDefault() {
    Schema released = SchemaVersions.released("VitalObservation").get(0);
    String changed =
        VitalObservation.getClassSchema()
            .toString()
            .replace(
                "\"fields\":[",
                "\"fields\":[{\"name\":\"site\",\"type\":\"string\",\"doc\":\"Body site.\"},");
    Schema reader = new Schema.Parser().parse(changed);
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, released);
    assertEquals(SchemaCompatibilityType.INCOMPATIBLE, result.getType());
  }

  @Test
  void releasedVersionsAreListedOldestFirst() {
    List<String> versions = SchemaVersions.versions();
    assertFalse(versions.isEmpty());
    assertEquals("1", versions.get(0));
  }
}
