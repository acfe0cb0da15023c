package io.vigil.ingest.auth;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of {@link ApiKeys} in this JVM, as its {@code main} runs it but without ending the JVM:
 * the exit status and what it printed.
 */
record ApiKeysRun(int status, String out, String err) {

  static ApiKeysRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        new CommandLine(new ApiKeys())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new ApiKeysRun(status, out.toString(), err.toString());
  }
}
