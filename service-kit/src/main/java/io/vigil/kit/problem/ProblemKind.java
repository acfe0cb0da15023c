package io.vigil.kit.problem;

/**
 * A stable problem type of a Vigil API. The {@code type} member of a problem+json answer is {@code
 * urn:vigil:problem:<slug>} in every service; clients switch on it, never on the title or detail.
 */
public interface ProblemKind {
  /** The prefix of every problem type URI. */
  String URI_PREFIX = "urn:vigil:problem:";

  /** The short name, e.g. {@code not-found}. */
  String slug();

  /** The HTTP status it answers with. */
  int status();

  /** A short, fixed, human-readable summary. */
  String title();

  /** The {@code type} URI. */
  default String uri() {
    return URI_PREFIX + slug();
  }
}
