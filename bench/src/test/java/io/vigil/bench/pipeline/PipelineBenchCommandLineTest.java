package io.vigil.bench.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.tools.CommandRun;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pipeline benchmark's command line, run in this JVM as its {@code main} runs it: {@code
 * --help} lists every documented option with its default and the exit statuses, and exits 0; an
 * unknown option and a value out of range are refused with exit status 2, named in the message,
 * before anything starts.
 */
class PipelineBenchCommandLineTest {
  static final List<String> OPTIONS =
      List.of(
          "--patients",
          "--rate",
          "--seconds",
          "--speed",
          "--clients",
          "--sick",
          "--cadence-minutes",
          "--grace-minutes",
          "--warmup",
          "--classpaths",
          "--home",
          "--no-sasl");

  @Test
  void shouldListItsOptionsDefaultsAndExitStatusesUnderHelp() {
    CommandRun help = CommandRun.of(new PipelineBench.Cli(), "--help");

    assertEquals(0, help.status(), help.err());
    for (String option : OPTIONS) {
      assertTrue(help.out().contains(option), "--help lists " + option + ":\n" + help.out());
    }
    assertTrue(help.out().contains("Default: 10000"), help.out());
    assertTrue(
        help.out().contains("Exit status:")
            && Pattern.compile("(?m)^  1 +\\S").matcher(help.out()).find()
            && Pattern.compile("(?m)^  2 +invalid command line").matcher(help.out()).find(),
        help.out());
  }

  @Test
  void shouldRefuseAnUnknownOptionWithExitStatus2NamingIt() {
    CommandRun unknown = CommandRun.of(new PipelineBench.Cli(), "--no-such-option");

    assertEquals(2, unknown.status(), unknown.err());
    assertTrue(unknown.err().contains("Unknown option: '--no-such-option'"), unknown.err());
  }

  @Test
  void shouldRefuseAValueOutOfRangeWithExitStatus2NamingTheOption() {
    CommandRun refused = CommandRun.of(new PipelineBench.Cli(), "--seconds", "5");

    assertEquals(2, refused.status(), refused.err());
    assertTrue(refused.err().contains("--seconds"), refused.err());
  }
}
