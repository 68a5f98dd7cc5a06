package io.imaginggateway.dicom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.imaginggateway.mapping.dicom.DicomAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One instance in the PS3.18 Annex F DICOM JSON model (what QIDO-RS and WADO-RS metadata return):
 * {@code {"0020000D": {"vr": "UI", "Value": ["1.2.3"]}, "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^Jane"}]}}}.
 * Numbers (IS, DS, US...) may come as JSON numbers; bulk data (InlineBinary, BulkDataURI) is ignored.
 */
record DicomJsonAttributes(JsonNode dataSet) implements DicomAttributes {

    @Override
    public String string(int tag) {
        List<String> values = strings(tag);
        return values.isEmpty() ? null : values.get(0);
    }

    @Override
    public List<String> strings(int tag) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : values(tag)) {
            String text = value.isObject() ? value.path("Alphabetic").asText(null) : value.isNull() ? null : value.asText();
            if (text != null && !text.isBlank()) {
                values.add(text.strip());
            }
        }
        return values;
    }

    @Override
    public List<DicomAttributes> items(int tag) {
        List<DicomAttributes> items = new ArrayList<>();
        for (JsonNode item : values(tag)) {
            if (item.isObject()) {
                items.add(new DicomJsonAttributes(item));
            }
        }
        return items;
    }

    private JsonNode values(int tag) {
        JsonNode attribute = dataSet.get(String.format(Locale.ROOT, "%08X", tag));
        if (attribute == null) {
            attribute = dataSet.get(String.format(Locale.ROOT, "%08x", tag));
        }
        JsonNode values = attribute == null ? null : attribute.get("Value");
        return values != null && values.isArray() ? values : MissingNode.getInstance();
    }
}
