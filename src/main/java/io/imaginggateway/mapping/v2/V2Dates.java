package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.TS;
import io.imaginggateway.mapping.MappingContext;
import org.hl7.fhir.r4.model.DateTimeType;

/** A TS field to dateTime in the site's zone, warning (not failing) when the sender's value is not a date. */
final class V2Dates {

    private V2Dates() {}

    static DateTimeType dateTime(TS ts, String field, MappingContext context) {
        String value = ts.getTime().getValue();
        DateTimeType dateTime = DtmToDateTime.dateTime(value, context.zone());
        if (dateTime == null && !HdToSystem.blank(value)) {
            context.warn(field, "'" + value + "' is not an HL7 date/time; left out");
        }
        return dateTime;
    }
}
