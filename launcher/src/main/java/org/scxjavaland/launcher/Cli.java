package org.scxjavaland.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/** What the command line prints by itself: help, version, and the one sentence for a bad option. */
final class Cli {

    /** The one line that follows a usage error. */
    static final String HINT = "Run 'scx_javaland --help' to see every option.";

    private Cli() {
    }

    static void printHelp(PrintStream out) {
        Options.commandLine(new Options()).usage(out);
    }

    /** {@code scx_javaland <version>}. */
    static String versionLine() {
        return "scx_javaland " + version();
    }

    /** This build's version, as Maven filtered it into the launcher's resources. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Cli.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }

    /**
     * The variable of the systemd unit's options file (systemd/scx_javaland.default) that the unit
     * passes as {@code --backend}.
     */
    static final String SERVICE_BACKEND = "SCX_JAVALAND_BACKEND";

    /** One sentence saying what is wrong with the command line, without picocli's usage dump. */
    static String describe(ParameterException e) {
        return describe(e, name -> null);
    }

    /**
     * As {@link #describe(ParameterException)}; {@code environment} tells whether the systemd unit
     * started it, whose --backend comes from {@value #SERVICE_BACKEND}: a second --backend is then
     * one in SCX_JAVALAND_FLAGS, and the sentence says where the backend is to be chosen.
     */
    static String describe(ParameterException e, java.util.function.Function<String, String> environment) {
        if (e instanceof CommandLine.OverwrittenOptionException twice
                && twice.getOverwritten() instanceof OptionSpec option && option.longestName().equals("--backend")) {
            String service = environment.apply(SERVICE_BACKEND);
            return service == null ? "--backend is given twice: give it once."
                    : "--backend is given twice: the service passes " + SERVICE_BACKEND + " (" + service + ") as"
                    + " --backend, so choose the backend with " + SERVICE_BACKEND + " in /etc/default/scx_javaland"
                    + " and take --backend out of SCX_JAVALAND_FLAGS.";
        }
        ArgSpec arg = e.getArgSpec();
        if (e.getCause() instanceof TypeConversionException conversion && arg instanceof OptionSpec option) {
            return "Invalid value '" + e.getValue() + "' for " + option.longestName() + ": "
                    + conversion.getMessage() + ".";
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            return first.startsWith("-")
                    ? "Unknown option '" + first + "'."
                    : "Unexpected argument '" + first + "': scx_javaland takes options only.";
        }
        String message = e.getMessage();
        return message.endsWith(".") ? message : message + ".";
    }
}
