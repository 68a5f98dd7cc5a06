package io.imaginggateway.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** An HL7 sender over MLLP, as an interface engine is: one connection, a frame out, the acknowledgement back. */
public final class MllpClient implements AutoCloseable {

    public static final byte START = 0x0B;
    public static final byte END = 0x1C;
    public static final byte CR = 0x0D;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public MllpClient(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Over a connection the test made (TLS, another source address). */
    public MllpClient(Socket connected) throws IOException {
        socket = connected;
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends the message (CR segment separators expected) framed, and returns the ACK text. */
    public String send(String message) throws IOException {
        return send(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    public String send(byte[] message, Charset ackCharset) throws IOException {
        sendRaw(frame(message));
        return new String(readAcknowledgement(), ackCharset);
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame's content, without its envelope. */
    public byte[] readAcknowledgement() throws IOException {
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                throw new IOException("Connection closed before an acknowledgement arrived");
            }
        }
        ByteArrayOutputStream ack = new ByteArrayOutputStream();
        while ((b = in.read()) != END) {
            if (b < 0) {
                throw new IOException("Connection closed in the middle of an acknowledgement");
            }
            ack.write(b);
        }
        in.read(); // the CR after FS
        return ack.toByteArray();
    }

    /** The first segment of an ACK with this name (null: none). */
    public static String segment(String ack, String name) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith(name + "|")) {
                return segment;
            }
        }
        return null;
    }

    /** Field n of the segment (in MSH, MSH-1 is the separator itself, so MSH-n is the (n-1)th after it). */
    public static String field(String ack, String segment, int n) {
        String[] fields = segment(ack, segment).split("\\|", -1);
        int index = segment.equals("MSH") ? n - 1 : n;
        return index < fields.length ? fields[index] : "";
    }

    public static byte[] frame(byte[] message) {
        byte[] framed = new byte[message.length + 3];
        framed[0] = START;
        System.arraycopy(message, 0, framed, 1, message.length);
        framed[framed.length - 2] = END;
        framed[framed.length - 1] = CR;
        return framed;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
