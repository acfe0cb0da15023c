package io.vigil.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VigilHomeTest {

  @Test
  void shouldKeepStateInDotVigilUnderTheWorkingDirectoryWhenVigilHomeIsUnsetOrBlank() {
    assertEquals(Path.of(".vigil"), VigilHome.fromEnvironment(Map.of()).path());
    assertEquals(Path.of(".vigil"), VigilHome.fromEnvironment(Map.of("VIGIL_HOME", " ")).path());
    assertEquals(Path.of(".vigil"), VigilHome.of(null).path());
  }

  @Test
  void shouldKeepStateWhereVigilHomePoints() {
    VigilHome home = VigilHome.fromEnvironment(Map.of("VIGIL_HOME", "/var/lib/vigil"));
    assertEquals(Path.of("/var/lib/vigil"), home.path());
    assertEquals(Path.of("/var/lib/vigil", "demo.env"), home.resolve("demo.env"));
    assertEquals(Path.of("/etc/keys.tsv"), home.resolve("/etc/keys.tsv"), "absolute stays");
  }
}
