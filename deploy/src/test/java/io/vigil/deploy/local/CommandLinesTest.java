package io.vigil.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.tools.CommandLineContract;
import io.vigil.tools.CommandLineTool;
import io.vigil.tools.CommandRun;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The command lines of the launcher ({@link Up}) and the simulated ward ({@link Ward}) ({@link
 * CommandLineContract}): {@code --help} lists every documented option with its default and the exit
 * statuses, and exits 0; an unknown option and a value out of range are refused with exit status 2,
 * named in the message, before anything starts; so are an unknown service and a port out of range.
 */
class CommandLinesTest implements CommandLineContract {

  @Override
  public Stream<CommandLineTool> tools() {
    return Stream.of(
        new CommandLineTool(
            "Up",
            Up::new,
            List.of(),
            "Default: 9092",
            List.of(
                "--home",
                "--classpaths",
                "--kafka-port",
                "--controller-port",
                "--broker-only",
                "--max-restarts",
                "--no-sim",
                "--only",
                "--port"),
            List.of(1, 2, 130),
            List.of("--kafka-port", "0")),
        new CommandLineTool(
            "Ward",
            Ward.Cli::new,
            List.of(),
            "Default: ward-1",
            List.of("--ingest", "--patients", "--care-team", "--seed", "--backfill-hours"),
            List.of(1, 2),
            List.of("--patients", "0")));
  }

  @Test
  void shouldRefuseAnUnknownServiceOrAPortOutOfRangeForTheLauncherWithExitStatus2() {
    CommandRun unknown = CommandRun.of(new Up(), "--only", "ingest,billing");
    CommandRun portless = CommandRun.of(new Up(), "--port", "ward=9000");
    CommandRun outOfRange = CommandRun.of(new Up(), "--port", "ingest=70000");

    assertEquals(2, unknown.status(), unknown.err());
    assertTrue(
        unknown.err().contains("--only") && unknown.err().contains("billing"), unknown.err());
    assertEquals(2, portless.status(), portless.err());
    assertTrue(portless.err().contains("ward has no HTTP port"), portless.err());
    assertEquals(2, outOfRange.status(), outOfRange.err());
    assertTrue(outOfRange.err().contains("--port ingest"), outOfRange.err());
  }
}
