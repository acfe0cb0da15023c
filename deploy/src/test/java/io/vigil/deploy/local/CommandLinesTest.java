package io.vigil.deploy.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.tools.CommandRun;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command lines of the launcher ({@link Up}) and the simulated ward ({@link Ward}), run in this
 * JVM as their {@code main} runs them: {@code --help} lists every documented option with its
 * default and the exit statuses, and exits 0; an unknown option and a value out of range are
 * refused with exit status 2, named in the message, before anything starts.
 */
class CommandLinesTest {

  /**
   * A command line as the tests see it.
   *
   * @param name the tool's class
   * @param command a new command object of the tool
   * @param aDefault a default value its help shows
   * @param options every option its documentation names
   * @param outOfRange an option with a value out of its range
   */
  record Tool(
      String name,
      Supplier<Object> command,
      String aDefault,
      List<String> options,
      List<String> outOfRange) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Tool> tools() {
    return Stream.of(
        new Tool(
            "Up",
            Up::new,
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
            List.of("--kafka-port", "0")),
        new Tool(
            "Ward",
            Ward.Cli::new,
            "Default: ward-1",
            List.of("--ingest", "--patients", "--care-team", "--seed", "--backfill-hours"),
            List.of("--patients", "0")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void shouldListItsOptionsDefaultsAndExitStatusesUnderHelp(Tool tool) {
    CommandRun help = CommandRun.of(tool.command().get(), "--help");

    assertEquals(0, help.status(), help.err());
    for (String option : tool.options()) {
      assertTrue(
          help.out().contains(option), tool + " --help lists " + option + ":\n" + help.out());
    }
    assertTrue(help.out().contains(tool.aDefault()), help.out());
    assertTrue(
        help.out().contains("Exit status:")
            && Pattern.compile("(?m)^  1 +\\S").matcher(help.out()).find()
            && Pattern.compile("(?m)^  2 +invalid command line").matcher(help.out()).find(),
        help.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void shouldRefuseAnUnknownOptionWithExitStatus2NamingIt(Tool tool) {
    CommandRun unknown = CommandRun.of(tool.command().get(), "--no-such-option");

    assertEquals(2, unknown.status(), unknown.err());
    assertTrue(unknown.err().contains("Unknown option: '--no-such-option'"), unknown.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  void shouldRefuseAValueOutOfRangeWithExitStatus2NamingTheOption(Tool tool) {
    CommandRun refused =
        CommandRun.of(tool.command().get(), tool.outOfRange().toArray(String[]::new));

    assertEquals(2, refused.status(), refused.err());
    assertTrue(refused.err().contains(tool.outOfRange().get(0)), refused.err());
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
