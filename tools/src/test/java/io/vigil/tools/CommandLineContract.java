package io.vigil.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every command-line tool promises, run in this JVM as its {@code main} runs it: {@code
 * --help} lists each documented option (with a default where it has one) and every exit status, and
 * exits 0; an unknown option and a value out of range are refused with exit status 2, named in the
 * message, before the tool does anything. A module's command-line test implements it and names its
 * {@link #tools}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public interface CommandLineContract {

  /** The tools checked. */
  Stream<CommandLineTool> tools();

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  default void shouldListItsOptionsDefaultsAndExitStatusesUnderHelp(CommandLineTool tool) {
    CommandRun help = CommandRun.of(tool.command().get(), "--help");

    assertEquals(0, help.status(), help.err());
    for (String option : tool.options()) {
      assertTrue(
          help.out().contains(option), tool + " --help lists " + option + ":\n" + help.out());
    }
    assertTrue(help.out().contains(tool.aDefault()), help.out());
    assertTrue(help.out().contains("Exit status:"), help.out());
    for (int status : tool.exitStatuses()) {
      assertTrue(
          Pattern.compile("(?m)^  " + status + " +\\S").matcher(help.out()).find(),
          tool + " --help lists exit status " + status + ":\n" + help.out());
    }
    assertTrue(
        Pattern.compile("(?m)^  2 +invalid command line").matcher(help.out()).find(), help.out());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  default void shouldRefuseAnUnknownOptionWithExitStatus2NamingIt(CommandLineTool tool) {
    CommandRun unknown = tool.run(List.of("--no-such-option"));

    assertEquals(2, unknown.status(), unknown.err());
    assertTrue(unknown.err().contains("Unknown option: '--no-such-option'"), unknown.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tools")
  default void shouldRefuseAValueOutOfRangeWithExitStatus2NamingTheOption(CommandLineTool tool) {
    CommandRun refused = tool.run(tool.outOfRange());

    assertEquals(2, refused.status(), refused.err());
    assertTrue(refused.err().contains(tool.outOfRange().get(0)), refused.err());
  }
}
