package io.vigil.schemas.access;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an API key may do. A key holds one or more scopes; each service checks the scope its
 * endpoint needs and answers 403 naming the missing one.
 */
public enum Scope {
  /** Post readings and patient context (ingest). */
  WRITE,
  /** Read patient data, such as risk scores (scoring's risk API). */
  READ;

  /** The scope's name in the key file, on the command line and in problem documents. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope named {@code code} (case-insensitive), if there is one. */
  public static Optional<Scope> byCode(String code) {
    if (code == null) {
      return Optional.empty();
    }
    for (Scope scope : values()) {
      if (scope.code().equalsIgnoreCase(code.trim())) {
        return Optional.of(scope);
      }
    }
    return Optional.empty();
  }

  /**
   * Parses a comma-separated list such as {@code write,read}.
   *
   * @throws IllegalArgumentException when the list is empty or names an unknown scope
   */
  public static Set<Scope> parseList(String list) {
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (String part : list == null ? new String[0] : list.split(",", -1)) {
      if (part.isBlank()) {
        continue;
      }
      scopes.add(
          byCode(part)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "unknown scope '" + part.trim() + "'; scopes are " + allCodes())));
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope is required: " + allCodes());
    }
    return scopes;
  }

  /** {@code write,read} form of {@code scopes}, in declaration order. */
  public static String format(Set<Scope> scopes) {
    List<String> codes = new ArrayList<>();
    for (Scope scope : values()) {
      if (scopes.contains(scope)) {
        codes.add(scope.code());
      }
    }
    return String.join(",", codes);
  }

  private static String allCodes() {
    return format(EnumSet.allOf(Scope.class));
  }
}
