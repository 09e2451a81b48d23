package org.scxjavaland.api;

/**
 * Text that may span lines, or an exception, as a phrase for one log line: what the host's bundles
 * (and a policy, if it likes) quote inside their own sentences.
 */
public final class OneLine {

    private OneLine() {
    }

    /** An exception as its class's simple name and its message, whitespace folded; the name alone without a message. */
    public static String of(Throwable e) {
        String message = e.getMessage();
        String name = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? name : name + ": " + message.replaceAll("\\s+", " ").trim();
    }

    /**
     * The first line of {@code text}, trimmed, without a final period (it is quoted inside a
     * sentence); {@code ifNone} when there is no text.
     */
    public static String first(String text, String ifNone) {
        if (text == null || text.isBlank()) {
            return ifNone;
        }
        String line = text.strip().lines().findFirst().orElse("").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }
}
