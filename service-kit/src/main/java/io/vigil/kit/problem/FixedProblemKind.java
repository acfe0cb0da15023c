package io.vigil.kit.problem;

import java.util.regex.Pattern;

/** A problem type whose slug, status and title are fixed: what {@link ProblemKind#of} makes. */
record FixedProblemKind(String slug, int status, String title) implements ProblemKind {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  FixedProblemKind {
    if (slug == null || !SLUG.matcher(slug).matches()) {
      throw new IllegalArgumentException(
          "a problem slug is lower-case words joined by hyphens, got '" + slug + "'");
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException(
          "a problem answers an error status (400 to 599), got " + status);
    }
    if (title == null || title.isBlank()) {
      throw new IllegalArgumentException("problem type " + slug + " needs a title");
    }
  }
}
