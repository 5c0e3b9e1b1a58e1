package io.warden.cli;

/** The server answered with an error status; {@link #problem()} says why. */
final class ApiException extends RuntimeException {

    private final transient Problem problem;

    ApiException(Problem problem) {
        super(problem.summary());
        this.problem = problem;
    }

    Problem problem() {
        return problem;
    }

    int status() {
        return problem.status();
    }
}
