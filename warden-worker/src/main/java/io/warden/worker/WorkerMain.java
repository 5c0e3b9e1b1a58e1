package io.warden.worker;

import java.io.PrintStream;

/**
 * Entry point of {@code warden worker}. The worker claims and runs tasks; that arrives with the
 * tasks issue. Until then this entry point only explains itself, so that the launcher, the
 * packaging and the module's dependency rules are in place and tested.
 */
public final class WorkerMain {

    private WorkerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println("Usage: warden worker --server URL --credential-file FILE");
            out.println("Runs tasks claimed from a Warden server. Task execution arrives with the tasks issue.");
            return 0;
        }
        err.println("warden worker: this build of Warden has no task queue yet, so there is nothing to run."
                + " Task execution arrives with the tasks issue.");
        return 1;
    }
}
