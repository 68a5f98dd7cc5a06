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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** What every generated instance has in common: a CT chest acquisition's usual attributes. */
    private static final Map<AttributeTag, String> SAME_FOR_EVERY_INSTANCE = new LinkedHashMap<>();

    static {
        String[][] values = {
            {"PatientBirthDate", "19700101"}, {"PatientSex", "F"}, {"StudyDate", "20261124"}, {"StudyTime", "101500"},
            {"SeriesDate", "20261124"}, {"SeriesTime", "1016"}, {"Modality", "CT"}, {"StudyDescription", "CT CHEST"},
            {"ReferringPhysicianName", "Welby^Marcus"}, {"InstitutionName", "General Hospital"},
            {"BodyPartExamined", "CHEST"}, {"ImageType", "ORIGINAL\\PRIMARY\\AXIAL"}, {"BitsAllocated", "16"},
            {"BitsStored", "12"}, {"HighBit", "11"}, {"PixelRepresentation", "0"}, {"SamplesPerPixel", "1"},
            {"PhotometricInterpretation", "MONOCHROME2"}, {"SliceThickness", "1.0"}, {"PixelSpacing", "0.7\\0.7"},
            {"ImageOrientationPatient", "1\\0\\0\\0\\1\\0"}, {"WindowCenter", "40"}, {"WindowWidth", "400"}};
        for (String[] value : values) {
            SAME_FOR_EVERY_INSTANCE.put(AttributeList.getDictionary().getTagFromName(value[0]), value[1]);
        }
    }

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
                    put(list, TagFromName.AccessionNumber, "BENCH-ACC-" + study);
                    put(list, TagFromName.SeriesDescription, "Axial " + s);
                    put(list, TagFromName.SeriesNumber, String.valueOf(s));
                    put(list, TagFromName.InstanceNumber, String.valueOf(i));
                    put(list, TagFromName.Rows, String.valueOf(size));
                    put(list, TagFromName.Columns, String.valueOf(size));
                    put(list, TagFromName.ImagePositionPatient, "-180\\-180\\" + i);
                    for (Map.Entry<AttributeTag, String> same : SAME_FOR_EVERY_INSTANCE.entrySet()) {
                        put(list, same.getKey(), same.getValue());
                    }
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
