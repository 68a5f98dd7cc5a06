package io.imaginggateway.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token of a new installation, so that no configuration still means nobody reads patient data anonymously
 * and the person who installed the gateway can use it at once: 256 random bits in a file only its owner may read,
 * written and printed once at first start; read from the file at every later start.
 */
final class LocalAdminToken {

    private static final Logger log = LoggerFactory.getLogger(LocalAdminToken.class);

    private LocalAdminToken() {
    }

    static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).strip();
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.toAbsolutePath().getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(file);
            } catch (FileAlreadyExistsException anotherGatewayWroteIt) {
                return readOrCreate(file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
            // printed this once, on purpose: the installer needs it now (README: Quick start); later starts only read it
            log.info("First start: admin token written to {} (send it as 'Authorization: Bearer <token>'): {}",
                    file, token);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the local admin token " + file, e);
        }
    }
}
