package org.scxjavaland.launcher;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Tells systemd that scx_javaland is ready (a unit of {@code Type=notify}): the sd_notify protocol,
 * one datagram {@code READY=1} (and a {@code STATUS=} line) sent to the Unix socket named by
 * {@code $NOTIFY_SOCKET}. Java's own channels have no Unix datagram sockets, so the three calls
 * (socket, sendto, close) go through JNA, from the host's JNA bundle: one copy of JNA's native
 * library in the process.
 */
final class Readiness {

    /** The environment variable systemd sets for a {@code Type=notify} service. */
    static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

    private static final String JNA_BUNDLE = "com.sun.jna";
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    /** sizeof(struct sockaddr_un) on Linux: a 2-byte family and 108 bytes of path. */
    private static final int SOCKADDR_UN_SIZE = 110;

    private Readiness() {
    }

    /**
     * Sends {@code READY=1} with {@code status} when systemd waits for it; nothing without
     * {@code $NOTIFY_SOCKET}.
     *
     * @return null if sent (or not asked for), else why it could not be sent
     */
    static String notifyReady(Host host, String status, String socket) {
        if (socket == null || socket.isEmpty()) {
            return null;
        }
        byte[] message = ("READY=1\nSTATUS=" + status + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            byte[] address = address(socket);
            if (host.bundle(JNA_BUNDLE) == null) {
                return "bundles/ holds no JNA";
            }
            Class<?> function = host.bundle(JNA_BUNDLE).loadClass("com.sun.jna.Function");
            Method get = function.getMethod("getFunction", String.class, String.class);
            Method invokeInt = function.getMethod("invokeInt", Object[].class);
            Method invokeLong = function.getMethod("invokeLong", Object[].class);
            int fd = (Integer) invokeInt.invoke(get.invoke(null, "c", "socket"),
                    (Object) new Object[] {AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0});
            if (fd < 0) {
                return "socket(AF_UNIX, SOCK_DGRAM) failed";
            }
            try {
                long sent = (Long) invokeLong.invoke(get.invoke(null, "c", "sendto"), (Object) new Object[] {fd,
                        message, (long) message.length, 0, address, address.length});
                return sent == message.length ? null : "sendto " + socket + " failed";
            } finally {
                invokeInt.invoke(get.invoke(null, "c", "close"), (Object) new Object[] {fd});
            }
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "JNA failed: " + e;
        }
    }

    /**
     * The {@code struct sockaddr_un} of {@code socket}: a path, or with a leading {@code @} a name
     * in the abstract namespace (a leading 0 byte, and exactly as long as the name).
     */
    static byte[] address(String socket) {
        boolean abstractName = socket.startsWith("@");
        byte[] path = (abstractName ? socket.substring(1) : socket).getBytes(StandardCharsets.UTF_8);
        int length = 2 + path.length + 1; // family, then the path and its 0, or 0 then the abstract name
        if (length > SOCKADDR_UN_SIZE) {
            throw new IllegalArgumentException(NOTIFY_SOCKET + " is longer than a Unix socket address can be");
        }
        ByteBuffer address = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX);
        if (abstractName) {
            address.put((byte) 0);
        }
        address.put(path);
        return address.array();
    }
}
