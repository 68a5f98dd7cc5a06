package io.imaginggateway.bench;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.imaginggateway.dicom.PixelMedHeaderReader;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * DICOM benchmark helpers.
 * <ul>
 *   <li>{@code generate <folder> <studies> <series per study> <instances per series> <rows> <set>}: CT instances
 *       (about 40 attributes, rows x rows 16-bit pixel data) for 100 patients, study UIDs
 *       {@code 1.2.826.0.1.3680043.9.7001.77.<set>.<n>};</li>
 *   <li>{@code read <folder> <seconds>}: header reads per second on one thread (one core), the gateway's reader
 *       over the files in the folder, repeatedly (they are in the page cache after the first pass).</li>
 * </ul>
 */
public final class DicomBench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> generate(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), args[6]);
            case "read" -> read(Path.of(args[1]), Double.parseDouble(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void generate(Path folder, int studies, int series, int instances, int size, String set)
            throws Exception {
        Files.createDirectories(folder);
        short[] pixels = new short[size * size];
        for (int study = 1; study <= studies; study++) {
            String studyUid = "1.2.826.0.1.3680043.9.7001.77." + set + "." + study;
            for (int s = 1; s <= series; s++) {
                for (int i = 1; i <= instances; i++) {
                    AttributeList list = new AttributeList();
                    put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
                    put(list, TagFromName.SOPInstanceUID, studyUid + "." + s + "." + i);
                    put(list, TagFromName.StudyInstanceUID, studyUid);
                    put(list, TagFromName.SeriesInstanceUID, studyUid + "." + s);
                    put(list, TagFromName.PatientID, "BENCH-" + (study % 100));
                    put(list, TagFromName.PatientName, "Bench^Patient" + (study % 100));
                    put(list, TagFromName.PatientBirthDate, "19700101");
                    put(list, TagFromName.PatientSex, "F");
                    put(list, TagFromName.AccessionNumber, "BENCH-ACC-" + study);
                    put(list, TagFromName.StudyDate, "20261124");
                    put(list, TagFromName.StudyTime, "101500");
                    put(list, TagFromName.SeriesDate, "20261124");
                    put(list, TagFromName.SeriesTime, "1016");
                    put(list, TagFromName.Modality, "CT");
                    put(list, TagFromName.StudyDescription, "CT CHEST");
                    put(list, TagFromName.SeriesDescription, "Axial " + s);
                    put(list, TagFromName.ReferringPhysicianName, "Welby^Marcus");
                    put(list, TagFromName.InstitutionName, "General Hospital");
                    put(list, TagFromName.BodyPartExamined, "CHEST");
                    put(list, TagFromName.SeriesNumber, String.valueOf(s));
                    put(list, TagFromName.InstanceNumber, String.valueOf(i));
                    put(list, TagFromName.ImageType, "ORIGINAL\\PRIMARY\\AXIAL");
                    put(list, TagFromName.Rows, String.valueOf(size));
                    put(list, TagFromName.Columns, String.valueOf(size));
                    put(list, TagFromName.BitsAllocated, "16");
                    put(list, TagFromName.BitsStored, "12");
                    put(list, TagFromName.HighBit, "11");
                    put(list, TagFromName.PixelRepresentation, "0");
                    put(list, TagFromName.SamplesPerPixel, "1");
                    put(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
                    put(list, TagFromName.SliceThickness, "1.0");
                    put(list, TagFromName.PixelSpacing, "0.7\\0.7");
                    put(list, TagFromName.ImagePositionPatient, "-180\\-180\\" + i);
                    put(list, TagFromName.ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
                    put(list, TagFromName.WindowCenter, "40");
                    put(list, TagFromName.WindowWidth, "400");
                    OtherWordAttribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
                    pixelData.setValues(pixels);
                    list.put(pixelData);
                    FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "BENCH");
                    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(
                            folder.resolve(studyUid + "." + s + "." + i + ".dcm")), 1 << 16)) {
                        list.write(out, TransferSyntax.ExplicitVRLittleEndian, true, true);
                    }
                }
            }
        }
    }

    private static void put(AttributeList list, AttributeTag tag, String value) throws Exception {
        Attribute attribute = AttributeFactory.newAttribute(tag);
        attribute.addValue(value);
        list.put(attribute);
    }

    private static void read(Path folder, double seconds) throws Exception {
        List<Path> files;
        try (Stream<Path> all = Files.list(folder)) {
            files = all.filter(f -> f.toString().endsWith(".dcm")).sorted().toList();
        }
        PixelMedHeaderReader reader = new PixelMedHeaderReader();
        for (Path file : files) {
            reader.read(file); // warm the page cache and the JIT
        }
        long count = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            for (Path file : files) {
                if (reader.read(file).sopInstanceUid() == null) {
                    throw new IllegalStateException(file.toString());
                }
                count++;
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "RESULT reads=%d seconds=%.1f reads_per_s=%.0f files=%d%n", count, elapsed,
                count / elapsed, files.size());
    }
}
