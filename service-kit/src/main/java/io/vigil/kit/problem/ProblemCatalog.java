package io.vigil.kit.problem;

import io.micronaut.http.HttpRequest;

/**
 * A service's problem types for the errors the framework raises itself (no credential, unknown
 * route, wrong method, body too large...), each service naming them in its own words.
 */
public interface ProblemCatalog {
  /** The type for an error status the framework answered with; a 5xx is never explained. */
  ProblemKind framework(int status);

  /**
   * The detail for {@code type}; {@code errors} is what the framework said (may be blank). By
   * default what it said, or the title.
   */
  default String frameworkDetail(ProblemKind type, HttpRequest<?> request, String errors) {
    return errors.isBlank() ? type.title() : errors;
  }
}
