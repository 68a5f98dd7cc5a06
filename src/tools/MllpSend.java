import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends HL7 v2 files over MLLP, one connection, each file's bytes as they are, and prints each acknowledgement.
 * Run without compiling: {@code java src/tools/MllpSend.java <host> <port> <file>...}
 */
public class MllpSend {

    public static void main(String[] args) throws Exception {
        try (Socket socket = new Socket(args[0], Integer.parseInt(args[1]))) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 2; i < args.length; i++) {
                out.write(0x0B);
                out.write(Files.readAllBytes(Path.of(args[i])));
                out.write(new byte[] {0x1C, 0x0D});
                out.flush();
                ByteArrayOutputStream ack = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) != 0x1C && b >= 0) {
                    if (b != 0x0B) {
                        ack.write(b);
                    }
                }
                in.read();
                System.out.println(args[i] + " ->\n  " + ack.toString(StandardCharsets.ISO_8859_1).strip().replace("\r", "\n  "));
            }
        }
    }
}
