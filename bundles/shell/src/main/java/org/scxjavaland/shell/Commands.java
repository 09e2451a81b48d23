package org.scxjavaland.shell;

import org.scxjavaland.api.OneLine;

/**
 * How every command of this bundle runs: its words checked by itself, and a refusal, a wrong
 * call or an error printed as one line on the session's error stream, never as an exception for
 * gogo to print with its class name.
 */
final class Commands {

    private Commands() {
    }

    /** A command's body. */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** A wrong call: the message is the command's usage, e.g. {@code scx:set KEY VALUE}. */
    static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String usage) {
            super(usage, null, false, false);
        }
    }

    /** Runs {@code body}; what it refuses is printed in one line on standard error (the session's). */
    static void run(String command, Body body) {
        try {
            body.run();
        } catch (Usage e) {
            System.err.println("usage: " + e.getMessage());
        } catch (Exception e) {
            String message = e.getMessage();
            System.err.println(message == null || message.isBlank()
                    ? command + " failed (" + e.getClass().getSimpleName() + ")" : message);
        } catch (Error e) {
            // Out of heap, a class missing from a bundle: still one line, and the shell goes on.
            System.err.println(command + " failed (" + OneLine.of(e) + ")");
        }
    }

    /** Refuses any argument. */
    static void noArguments(String command, String[] args) {
        if (args.length > 0) {
            throw new Usage(command + " (it takes no arguments)");
        }
    }

    /** The one argument, or the usage {@code command what}. */
    static String exactlyOne(String command, String what, String[] args) {
        if (args.length != 1) {
            throw new Usage(command + " " + what);
        }
        return args[0];
    }
}
