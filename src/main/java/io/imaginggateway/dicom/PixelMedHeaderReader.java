package io.imaginggateway.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.SequenceItem;
import com.pixelmed.dicom.TagFromName;
import io.imaginggateway.mapping.dicom.DicomInstance;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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

    private static final AttributeTag LOCAL_NAMESPACE = new AttributeTag(0x0040, 0x0031);
    private static final AttributeTag UNIVERSAL_ID = new AttributeTag(0x0040, 0x0032);
    private static final AttributeTag UNIVERSAL_ID_TYPE = new AttributeTag(0x0040, 0x0033);
    private static final AttributeTag LONG_CODE_VALUE = new AttributeTag(0x0008, 0x0119);
    private static final AttributeTag URN_CODE_VALUE = new AttributeTag(0x0008, 0x0120);

    @Override
    public DicomInstance read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    @Override
    public DicomInstance read(InputStream in, String name) throws IOException {
        AttributeList list = new AttributeList();
        list.setDecompressPixelData(false);
        try (DicomInputStream dicom = new DicomInputStream(new BufferedInputStream(in, 64 * 1024))) {
            list.read(dicom, TagFromName.PixelData);
        } catch (DicomException | IOException | RuntimeException e) {
            throw new DicomHeaderReader.DicomReadException(name + ": not a readable DICOM instance (" + e + ")", e);
        }
        for (AttributeTag required : List.of(TagFromName.StudyInstanceUID, TagFromName.SeriesInstanceUID,
                TagFromName.SOPInstanceUID)) {
            if (string(list, required) == null) {
                throw new DicomHeaderReader.DicomReadException(name + ": no " + list.getDictionary().getNameFromTag(required)
                        + " " + required + " (not DICOM, or an incomplete instance)", null);
            }
        }
        String laterality = string(list, TagFromName.Laterality);
        return new DicomInstance(
                string(list, TagFromName.SOPClassUID), string(list, TagFromName.SOPInstanceUID),
                string(list, TagFromName.InstanceNumber), conceptName(list), strings(list, TagFromName.ImageType),
                string(list, TagFromName.SeriesInstanceUID), string(list, TagFromName.SeriesNumber),
                string(list, TagFromName.Modality), string(list, TagFromName.SeriesDescription),
                string(list, TagFromName.SeriesDate), string(list, TagFromName.SeriesTime),
                string(list, TagFromName.BodyPartExamined),
                laterality != null ? laterality : string(list, TagFromName.ImageLaterality),
                strings(list, TagFromName.PerformingPhysicianName), strings(list, TagFromName.OperatorsName),
                string(list, TagFromName.StudyInstanceUID), string(list, TagFromName.StudyID),
                string(list, TagFromName.AccessionNumber), issuer(list, TagFromName.IssuerOfAccessionNumberSequence, null),
                string(list, TagFromName.StudyDate), string(list, TagFromName.StudyTime),
                string(list, TagFromName.TimezoneOffsetFromUTC), string(list, TagFromName.StudyDescription),
                string(list, TagFromName.ReferringPhysicianName), strings(list, TagFromName.NameOfPhysiciansReadingStudy),
                codes(list, TagFromName.ProcedureCodeSequence), string(list, TagFromName.ReasonForTheRequestedProcedure),
                codes(list, TagFromName.ReasonForRequestedProcedureCodeSequence), string(list, TagFromName.InstitutionName),
                string(list, TagFromName.PerformedLocation),
                string(list, TagFromName.PatientID),
                issuer(list, TagFromName.IssuerOfPatientIDQualifiersSequence, string(list, TagFromName.IssuerOfPatientID)),
                string(list, TagFromName.PatientName), string(list, TagFromName.PatientBirthDate),
                string(list, TagFromName.PatientSex));
    }

    private static String string(AttributeList list, AttributeTag tag) {
        String value = Attribute.getSingleStringValueOrNull(list, tag);
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> strings(AttributeList list, AttributeTag tag) {
        Attribute attribute = list.get(tag);
        List<String> values = new ArrayList<>();
        if (attribute != null) {
            try {
                for (String value : attribute.getStringValues()) {
                    if (value != null && !value.isBlank()) {
                        values.add(value.strip());
                    }
                }
            } catch (DicomException e) {
                return List.of();
            }
        }
        return values;
    }

    private static List<DicomInstance.Code> codes(AttributeList list, AttributeTag sequence) {
        List<DicomInstance.Code> codes = new ArrayList<>();
        for (AttributeList item : items(list, sequence)) {
            String value = string(item, TagFromName.CodeValue);
            value = value != null ? value : string(item, LONG_CODE_VALUE);
            value = value != null ? value : string(item, URN_CODE_VALUE);
            String meaning = string(item, TagFromName.CodeMeaning);
            if (value != null || meaning != null) {
                codes.add(new DicomInstance.Code(value, string(item, TagFromName.CodingSchemeDesignator), meaning));
            }
        }
        return codes;
    }

    /** Document Title of an SR or KO: the Concept Name Code Sequence's meaning. */
    private static String conceptName(AttributeList list) {
        return items(list, TagFromName.ConceptNameCodeSequence).stream()
                .map(item -> string(item, TagFromName.CodeMeaning)).filter(m -> m != null).findFirst().orElse(null);
    }

    private static DicomInstance.Issuer issuer(AttributeList list, AttributeTag sequence, String namespace) {
        List<AttributeList> items = items(list, sequence);
        AttributeList item = items.isEmpty() ? new AttributeList() : items.get(0);
        String local = string(item, LOCAL_NAMESPACE);
        DicomInstance.Issuer issuer = new DicomInstance.Issuer(namespace != null ? namespace : local,
                string(item, UNIVERSAL_ID), string(item, UNIVERSAL_ID_TYPE));
        return issuer.isEmpty() ? null : issuer;
    }

    private static List<AttributeList> items(AttributeList list, AttributeTag tag) {
        List<AttributeList> items = new ArrayList<>();
        if (list.get(tag) instanceof SequenceAttribute sequence) {
            for (Iterator<?> it = sequence.iterator(); it.hasNext(); ) {
                items.add(((SequenceItem) it.next()).getAttributeList());
            }
        }
        return items;
    }
}
