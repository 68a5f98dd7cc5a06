package io.imaginggateway.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HAPI's v2.5.1 model classes for every version, with segment look-ups remembered, including those that find no
 * class. HAPI remembers only the classes it finds: for a segment it has no class for (ZDS, any Z-segment, a later
 * version's segment) it searches the class path again for every message, which in the gateway's packaged jar cost
 * more than half of the intake's CPU time (measured with JFR on orders carrying ZDS: 134 of 242 samples).
 */
final class V251ClassFactory extends CanonicalModelClassFactory {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, Optional<Class<? extends Segment>>> segments = new ConcurrentHashMap<>();

    V251ClassFactory() {
        super("2.5.1");
    }

    @Override
    public Class<? extends Segment> getSegmentClass(String name, String version) throws HL7Exception {
        Optional<Class<? extends Segment>> known = segments.get(name + "|" + version);
        if (known == null) {
            known = Optional.ofNullable(super.getSegmentClass(name, version));
            segments.put(name + "|" + version, known);
        }
        return known.orElse(null);
    }
}
