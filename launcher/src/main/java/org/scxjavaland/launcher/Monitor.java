package org.scxjavaland.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.scxjavaland.api.Metrics;

/**
 * {@code --monitor SECS}: prints the counters of the scx_javaland that already runs from this
 * installation (or with this {@code -Dscx.data}) every SECS seconds, the monitor line of
 * {@code --stats}, without starting a scheduler. It asks the host's {@link StatsSocket}.
 */
final class Monitor implements AutoCloseable {

    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;

    private Monitor(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code --monitor}: attaches to the host of {@code layout} and prints its counters every
     * {@code seconds} until {@code stop} says so or the host stops.
     *
     * @return the exit code
     * @throws LaunchFailure (exit 1) when no host of this installation runs
     */
    static int run(Layout layout, double seconds, PrintStream stdout, PrintStream err, BooleanSupplier stop)
            throws InterruptedException {
        try (Monitor monitor = attach(StatsSocket.path(layout))) {
            return monitor.print(seconds, stdout, err, stop);
        }
    }

    /**
     * Connects to the host serving at {@code socket}.
     *
     * @throws LaunchFailure (exit 1) when no host answers there, or this user may not ask it
     */
    static Monitor attach(Path socket) {
        if (!Files.exists(socket)) {
            Path folder = socket.getParent();
            // A folder this user may not enter hides the socket: another user's host runs there.
            throw Files.isDirectory(folder) && !Files.isExecutable(folder) ? denied(socket) : notRunning(socket);
        }
        try {
            return new Monitor(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
        } catch (AccessDeniedException e) {
            throw denied(socket);
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("ermission denied")) {
                throw denied(socket);
            }
            throw notRunning(socket);
        }
    }

    private static LaunchFailure notRunning(Path socket) {
        return new LaunchFailure(ExitCode.FAILURE, "No scx_javaland is running from this installation (nothing"
                + " answers at " + socket + "): start it first, or point --monitor at its installation with -D"
                + Layout.HOME_PROPERTY + " (or -D" + Layout.DATA_PROPERTY + ").");
    }

    private static LaunchFailure denied(Path socket) {
        return new LaunchFailure(ExitCode.FAILURE, "This user may not read the counters of the running"
                + " scx_javaland (" + socket + " is its owner's only): run --monitor as the user that runs it.");
    }

    /** The host's counters now. */
    Metrics metrics() throws IOException {
        out.write(StatsSocket.REQUEST + "\n");
        out.flush();
        String line = in.readLine();
        if (line == null) {
            throw new IOException("the host closed the connection");
        }
        if (line.startsWith("error ")) {
            throw new IOException(line.substring("error ".length()));
        }
        return MetricsText.parse(line);
    }

    /**
     * Prints a monitor line every {@code seconds} (dispatch counters as deltas over the interval)
     * until {@code stop} says so, or the host stops.
     *
     * @return the exit code: 0 either way
     */
    int print(double seconds, PrintStream stdout, PrintStream err, BooleanSupplier stop) throws InterruptedException {
        long periodNs = Math.max(1, Math.round(seconds * 1e9));
        try {
            Metrics previous = metrics();
            long next = System.nanoTime() + periodNs;
            while (true) {
                while (System.nanoTime() < next) {
                    if (stop.getAsBoolean()) {
                        return ExitCode.OK;
                    }
                    Thread.sleep(Math.max(1, Math.min(100, (next - System.nanoTime()) / 1_000_000)));
                }
                next += periodNs;
                Metrics now = metrics();
                stdout.println(StatsPrinter.line(now, previous));
                stdout.flush();
                previous = now;
            }
        } catch (IOException | IllegalArgumentException e) {
            if (stop.getAsBoolean()) {
                return ExitCode.OK;
            }
            ConsoleLog.info(err, "The monitored scx_javaland stopped (" + e.getMessage() + ").");
            return ExitCode.OK;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
