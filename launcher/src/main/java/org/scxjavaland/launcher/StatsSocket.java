package org.scxjavaland.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.scxjavaland.api.Metrics;

/**
 * The running host's counters for {@code scx_javaland --monitor}: a Unix domain socket in the data
 * folder ({@code data/monitor/stats.sock}), reachable only by the user that runs the host (the
 * socket is 0600, in a 0700 folder). A client writes {@value #REQUEST} and a newline; the host
 * answers with the counters now, as one line ({@link MetricsText}). A client may ask again on the
 * same connection.
 *
 * <p>Serving the counters is a convenience: when the socket cannot be made, the host says so in
 * one line and runs on without it.
 */
final class StatsSocket implements AutoCloseable {

    /** What a client writes to get one line of counters. */
    static final String REQUEST = "metrics";

    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_SOCKET = PosixFilePermissions.fromString("rw-------");

    private final Path socket;
    private final ServerSocketChannel server;
    private final Supplier<Metrics> metrics;
    private final Set<SocketChannel> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private StatsSocket(Path socket, ServerSocketChannel server, Supplier<Metrics> metrics) {
        this.socket = socket;
        this.server = server;
        this.metrics = metrics;
        this.acceptor = new Thread(this::accept, "scx-monitor-socket");
        this.acceptor.setDaemon(true);
    }

    /** Where the host of {@code layout} serves its counters. */
    static Path path(Layout layout) {
        return layout.data().resolve("monitor").resolve("stats.sock");
    }

    /**
     * Starts serving {@code metrics} at {@code socket}.
     *
     * @return the open socket, or null when it cannot be made (said in one line on {@code err})
     */
    static StatsSocket open(Path socket, Supplier<Metrics> metrics, PrintStream err) {
        try {
            ownerOnlyFolder(socket.getParent());
            if (Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                if (answers(socket)) {
                    ConsoleLog.warn(err, "Another scx_javaland already serves its counters at " + socket
                            + ", so --monitor sees that one: give each host its own data folder (-D"
                            + Layout.DATA_PROPERTY + "=DIR).");
                    return null;
                }
                Files.delete(socket); // left behind by a host that was killed
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socket));
                Files.setPosixFilePermissions(socket, OWNER_ONLY_SOCKET);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            StatsSocket open = new StatsSocket(socket, server, metrics);
            open.acceptor.start();
            return open;
        } catch (IOException | RuntimeException e) {
            ConsoleLog.warn(err, "The counters cannot be served to --monitor at " + socket + " ("
                    + e.getMessage() + "); the scheduler runs on without them.");
            return null;
        }
    }

    /** Creates {@code folder} as 0700, or makes it so; refuses one that another user owns. */
    private static void ownerOnlyFolder(Path folder) throws IOException {
        try {
            Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FOLDER));
        } catch (FileAlreadyExistsException e) {
            Object owner = Files.getAttribute(folder, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Object self = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            if (!Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS) || !owner.equals(self)) {
                throw new IOException(folder + " is not a folder of this user's: remove it");
            }
        }
        // Whatever the umask made of it.
        Files.setPosixFilePermissions(folder, OWNER_ONLY_FOLDER);
    }

    /** True if a host answers at {@code socket}. */
    private static boolean answers(Path socket) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return channel.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                clients.add(client);
                Thread serving = new Thread(() -> serve(client), "scx-monitor-client");
                serving.setDaemon(true);
                serving.start();
            } catch (ClosedChannelException e) {
                return; // closed: the host stops
            } catch (IOException e) {
                // One failed accept (out of file descriptors, say): keep serving the others.
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client;
                BufferedReader in = new BufferedReader(Channels.newReader(client, StandardCharsets.UTF_8));
                Writer out = Channels.newWriter(client, StandardCharsets.UTF_8)) {
            for (String request = in.readLine(); request != null; request = in.readLine()) {
                String answer;
                if (REQUEST.equals(request.trim())) {
                    try {
                        answer = MetricsText.format(metrics.get());
                    } catch (RuntimeException e) {
                        answer = "error the scheduler is being replaced; ask again";
                    }
                } else {
                    answer = "error unknown request '" + request + "'; send " + REQUEST;
                }
                out.write(answer + "\n");
                out.flush();
            }
        } catch (IOException e) {
            // The client went away.
        } finally {
            clients.remove(client);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (SocketChannel client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // a stale socket is replaced at the next start
        }
    }
}
