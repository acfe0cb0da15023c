package io.vigil.kit.problem;

/** Thrown by a controller or filter to answer with {@link #problem()}. */
public final class ProblemException extends RuntimeException {
  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.type().slug() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
  }

  public ProblemException(ProblemKind type, String detail) {
    this(Problem.of(type, detail));
  }

  public Problem problem() {
    return problem;
  }
}
