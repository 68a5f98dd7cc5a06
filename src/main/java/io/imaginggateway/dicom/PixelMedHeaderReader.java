package io.imaginggateway.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import io.imaginggateway.mapping.dicom.DicomAttributes;
import io.imaginggateway.mapping.dicom.DicomInstance;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * {@link DicomHeaderReader} with PixelMed: reads the data set up to Pixel Data (7FE0,0010) and stops, so a 500 MB
 * enhanced MR costs what its header costs; compressed pixel data is never decompressed.
 */
@Component
public class PixelMedHeaderReader implements DicomHeaderReader {

    /** Also checks that the file holds the whole data set ({@link DataSetCompleteness}): a cut-off copy is refused. */
    @Override
    public DicomInstance read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(Channels.newInputStream(channel), file.toString(), syntax -> {
                if (!syntax.isDeflated()) {
                    try {
                        DataSetCompleteness.check(channel, syntax.isExplicitVR(), syntax.isBigEndian());
                    } catch (DataSetCompleteness.CutShort cut) {
                        throw new DicomHeaderReader.DicomReadException(file.toString(), cut.getMessage(), cut);
                    }
                }
            });
        }
    }

    @Override
    public DicomInstance read(InputStream in, String name) throws IOException {
        return read(in, name, syntax -> { });
    }

    /** What to check once the header is read, knowing the data set's transfer syntax. */
    private interface AfterHeader {
        void check(TransferSyntax dataSetSyntax) throws IOException;
    }

    /** The header, then (the input still open) the check that needs the data set's transfer syntax. */
    private DicomInstance read(InputStream in, String name, AfterHeader afterHeader) throws IOException {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try (DicomInputStream dicom = new DicomInputStream(new BufferedInputStream(in, 64 * 1024))) {
            TransferSyntax syntax;
            try {
                list.read(dicom, TagFromName.PixelData);
                syntax = dicom.getTransferSyntaxToReadDataSet();
            } catch (DicomException | IOException | RuntimeException e) {
                throw new DicomHeaderReader.DicomReadException(name, "not a readable DICOM instance (" + e + ")", e);
            }
            DicomInstance instance;
            try {
                instance = DicomInstance.of(new Attributes(list));
            } catch (IllegalArgumentException e) {
                throw new DicomHeaderReader.DicomReadException(name, e.getMessage()
                        + " (not DICOM, or an incomplete instance)", e);
            }
            if (syntax != null) {
                afterHeader.check(syntax);
            }
            return instance;
        }
    }

    /** A PixelMed attribute list seen as {@link DicomAttributes}. */
    private record Attributes(AttributeList list) implements DicomAttributes {

        @Override
        public String string(int tag) {
            String value = Attribute.getSingleStringValueOrNull(list, tag(tag));
            return value == null || value.isBlank() ? null : value.strip();
        }

        @Override
        public List<String> strings(int tag) {
            Attribute attribute = list.get(tag(tag));
            List<String> values = new ArrayList<>();
            try {
                String[] all = attribute == null ? null : attribute.getStringValues();
                for (String value : all == null ? new String[0] : all) {
                    if (value != null && !value.isBlank()) {
                        values.add(value.strip());
                    }
                }
            } catch (DicomException e) {
                return List.of();
            }
            return values;
        }

        @Override
        public List<DicomAttributes> items(int tag) {
            List<DicomAttributes> items = new ArrayList<>();
            if (list.get(tag(tag)) instanceof SequenceAttribute sequence) {
                for (Iterator<?> it = sequence.iterator(); it.hasNext(); ) {
                    items.add(new Attributes(((SequenceItem) it.next()).getAttributeList()));
                }
            }
            return items;
        }

        private static AttributeTag tag(int tag) {
            return new AttributeTag(tag >>> 16, tag & 0xFFFF);
        }
    }
}
