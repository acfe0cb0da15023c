package io.vigil.tools.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.tools.CommandRun;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replay's command line, run in the JVM as its {@code main} runs it: {@code --help} lists each
 * documented option (with a default) and the exit statuses, and exits 0; an unknown option and a
 * value out of range are refused with exit status 2, named in the message, before anything is read
 * or sent.
 */
class ReplayCommandLineTest {
  static final List<String> OPTIONS =
      List.of(
          "DIR",
          "--ingest",
          "--api-key",
          "--start",
          "--limit",
          "--prefix",
          "--care-team",
          "--batch",
          "--order",
          "--concurrency",
          "--shuffle",
          "--seed");

  @Test
  void shouldListItsOptionsDefaultsAndExitStatusesUnderHelp() {
    CommandRun run = CommandRun.of(new Replay.Cli(), "--help");

    assertEquals(0, run.status(), run.err());
    for (String option : OPTIONS) {
      assertTrue(run.out().contains(option), "--help lists " + option + ":\n" + run.out());
    }
    assertTrue(run.out().contains("Default: icu-replay"), run.out());
    assertTrue(
        run.out().contains("Exit status:")
            && run.out().contains("  0   ")
            && run.out().contains("  2   invalid command line"),
        run.out());
  }

  @Test
  void shouldRefuseAnUnknownOptionWithExitStatus2NamingIt() {
    CommandRun run = CommandRun.of(new Replay.Cli(), "stays", "--api-key", "k", "--no-such-option");

    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().contains("Unknown option: '--no-such-option'"), run.err());
  }

  @Test
  void shouldRefuseAValueOutOfRangeWithExitStatus2NamingTheOption() {
    CommandRun run =
        CommandRun.of(new Replay.Cli(), "stays", "--api-key", "k", "--concurrency", "0");

    assertEquals(2, run.status(), run.err());
    assertTrue(run.err().contains("--concurrency"), run.err());
  }
}
