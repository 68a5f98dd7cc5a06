package io.imaginggateway.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DICOM files of a known study made with dcmtk's {@code dump2dcm} (an independent DICOM writer, not the gateway's
 * library): patient, accession, series and instances as given, 16 bytes of pixel data.
 */
public final class DicomStudies {

    private DicomStudies() {}

    /** A study: its UID root (series n is root.n, instance m of it root.n.m), patient and accession. */
    public record Study(String uidRoot, String patientId, String accession, String modality, String bodyPart) {}

    /** Writes {@code instancesPerSeries} instances for each series number 1..series into {@code folder}. */
    public static List<Path> write(Path folder, Study study, int series, int instancesPerSeries) throws IOException {
        return writeWith("", folder, study, series, instancesPerSeries);
    }

    /** As {@link #write(Path, Study, int, int)}, each instance with {@code extra} dump lines. */
    public static List<Path> writeWith(String extra, Path folder, Study study, int series, int instancesPerSeries)
            throws IOException {
        List<Path> files = new ArrayList<>();
        for (int s = 1; s <= series; s++) {
            for (int i = 1; i <= instancesPerSeries; i++) {
                files.add(write(folder, study, s, i, extra));
            }
        }
        return files;
    }

    /** One instance; {@code extra} adds dump lines (e.g. an attribute a test needs). */
    public static Path write(Path folder, Study study, int series, int instance, String extra) throws IOException {
        Files.createDirectories(folder);
        String uid = study.uidRoot() + "." + series + "." + instance;
        String dump = String.join("\n",
                "(0008,0008) CS [ORIGINAL\\PRIMARY\\AXIAL]",
                "(0008,0016) UI =CTImageStorage",
                "(0008,0018) UI [" + uid + "]",
                "(0008,0020) DA [20261123]",
                "(0008,0021) DA [20261123]",
                "(0008,0030) TM [093012.5]",
                "(0008,0031) TM [0931]",
                "(0008,0050) SH [" + study.accession() + "]",
                "(0008,0060) CS [" + study.modality() + "]",
                "(0008,0080) LO [General Hospital]",
                "(0008,0090) PN [Welby^Marcus^^Dr]",
                "(0008,1030) LO [CT Chest without contrast]",
                "(0008,103e) LO [Series " + series + "]",
                "(0008,1050) PN [Tech^Tom]",
                "(0008,1060) PN [Radius^Rita]",
                "(0010,0010) PN [Doe^Jane]",
                "(0010,0020) LO [" + study.patientId() + "]",
                "(0010,0030) DA [19700101]",
                "(0010,0040) CS [F]",
                "(0018,0015) CS [" + study.bodyPart() + "]",
                "(0020,000d) UI [" + study.uidRoot() + "]",
                "(0020,000e) UI [" + study.uidRoot() + "." + series + "]",
                "(0020,0010) SH [S1]",
                "(0020,0011) IS [" + series + "]",
                "(0020,0013) IS [" + instance + "]",
                "(0020,0060) CS [R]",
                extra,
                "(7fe0,0010) OW 0000\\0000\\0000\\0000\\0000\\0000\\0000\\0000");
        Path dumpFile = folder.resolve(uid + ".dump");
        Path file = folder.resolve(uid + ".dcm");
        Files.writeString(dumpFile, dump, StandardCharsets.ISO_8859_1);
        run("dump2dcm", "-q", "+te", "-g", dumpFile.toString(), file.toString());
        Files.delete(dumpFile);
        return file;
    }

    /** Runs a dcmtk tool; returns its exit code and output. */
    public static Result run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
            if (command[0].equals("dump2dcm") && process.exitValue() != 0) {
                throw new IOException("dump2dcm failed: " + output);
            }
            return new Result(process.exitValue(), output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public record Result(int exitCode, String output) {}
}
