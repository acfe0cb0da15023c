package io.vigil.scoring.train;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} command-line options with defaults; positional arguments kept in order. */
public final class Args {
  public final Map<String, String> options = new HashMap<>();
  public final List<String> positional;

  public Args(String[] args) {
    java.util.ArrayList<String> pos = new java.util.ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + args[i] + " needs a value");
        }
        options.put(args[i].substring(2), args[++i]);
      } else {
        pos.add(args[i]);
      }
    }
    positional = List.copyOf(pos);
  }

  public String get(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  public int getInt(String name, int fallback) {
    return Integer.parseInt(get(name, Integer.toString(fallback)));
  }

  public double getDouble(String name, double fallback) {
    return Double.parseDouble(get(name, Double.toString(fallback)));
  }

  public long getLong(String name, long fallback) {
    return Long.parseLong(get(name, Long.toString(fallback)));
  }
}
