package io.vigil.deploy.local;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options. */
final class Args {
  private Args() {}

  static Map<String, String> parse(String[] argv) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
        throw new IllegalArgumentException("expected --name value, got " + argv[i]);
      }
      options.put(argv[i].substring(2), argv[++i]);
    }
    return options;
  }
}
