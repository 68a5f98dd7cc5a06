package io.imaginggateway.dicom;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a folder tree holds, to compare before and after: every path below it with a digest of each file's bytes. */
final class FolderSnapshot {

    private FolderSnapshot() {}

    static Map<String, String> of(Path root) throws IOException {
        Map<String, String> snapshot = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.toList()) {
                snapshot.put(root.relativize(path).toString(), Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                        ? sha256(Files.readAllBytes(path)) + " " + Files.getLastModifiedTime(path) : "folder");
            }
        }
        return snapshot;
    }

    /** The names in a folder (not below it), for folders the test cannot read whole. */
    static Map<String, String> names(Path folder) throws IOException {
        Map<String, String> names = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            list.forEach(path -> names.put(path.getFileName().toString(), Files.isDirectory(path) ? "folder" : "file"));
        }
        return names;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
