package io.vigil.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of a command-line tool in this JVM, as its {@code main} runs it but without ending the
 * JVM: the exit status and what picocli printed (usage help on {@code out}, usage errors on {@code
 * err}).
 */
public record CommandRun(int status, String out, String err) {

  /** Executes {@code command} (a picocli command object) with {@code args}. */
  public static CommandRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        new CommandLine(command)
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new CommandRun(status, out.toString(), err.toString());
  }
}
