package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import java.util.ArrayList;
import java.util.List;

/** OBX-5 values, whose datatype OBX-2 names, read as text whatever HAPI parsed them into. */
final class ObxValues {

    private ObxValues() {}

    /** OBX-2, the value type, trimmed and upper case; empty when not sent. */
    static String valueType(OBX obx) {
        String type = obx.getValueType().getValue();
        return type == null ? "" : type.trim().toUpperCase();
    }

    /** The value's first component (an HD's namespace, a CE's code, a primitive's value), escapes resolved. */
    static String firstComponent(Varies value) {
        Type data = value.getData();
        if (data instanceof Composite composite) {
            return CweToCodeableConcept.part(composite, 0);
        }
        return data instanceof Primitive primitive ? V2Text.plain(primitive.getValue()) : null;
    }

    /** The whole value as text: a primitive's value, or a composite's non-empty components joined by spaces. */
    static String text(Varies value) {
        Type data = value.getData();
        if (data instanceof Primitive primitive) {
            return V2Text.plain(primitive.getValue());
        }
        if (data instanceof Composite composite) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < composite.getComponents().length; i++) {
                String part = CweToCodeableConcept.part(composite, i);
                if (!HdToSystem.blank(part)) {
                    parts.add(part.strip());
                }
            }
            return parts.isEmpty() ? null : String.join(" ", parts);
        }
        return null;
    }
}
