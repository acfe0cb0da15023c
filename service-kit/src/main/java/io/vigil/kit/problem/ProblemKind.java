package io.vigil.kit.problem;

/**
 * A stable problem type of a Vigil API. The {@code type} member of a problem+json answer is {@code
 * urn:vigil:problem:<slug>} in every service; clients switch on it, never on the title or detail.
 * Each service lists its own types as constants made with {@link #of}.
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

  /**
   * The type {@code slug} answering {@code status} with {@code title}; two types with the same
   * three are equal.
   *
   * @throws IllegalArgumentException when the slug is not lower-case words joined by hyphens, the
   *     status is not an error status (400 to 599) or the title is blank
   */
  static ProblemKind of(String slug, int status, String title) {
    return new FixedProblemKind(slug, status, title);
  }
}
