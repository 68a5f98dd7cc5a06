package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.model.v251.segment.IPC;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.OBR;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.model.v251.segment.ORC;
import ca.uhn.hl7v2.model.v251.segment.PID;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import ca.uhn.hl7v2.model.v251.segment.TQ1;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * An order or result message (parsed into HL7 v2.5.1 classes, whatever version was sent) read as a radiology message
 * reads: the patient's PID and PV1, then one {@link OrderGroup} per order. Segments are taken in the order they
 * arrived rather than by the message structure's groups, which differ between ORM, OMI and ORU and between versions,
 * and which real senders bend (Z-segments, an ORU's OBR without ORC).
 *
 * <p>A new order starts at each ORC, and at an OBR when the current order already has one. NTE, TQ1, IPC and
 * Z-segments belong to the current order; an NTE after an OBX belongs to that OBX. Segments before the first order
 * (MSH, PID, PV1, a Z-segment after PID) belong to the message.
 */
public record V2Message(MSH msh, PID pid, PV1 pv1, List<Segment> segments, List<OrderGroup> orders) {

    /**
     * One order: its ORC and OBR (either may be missing), notes, timing, imaging procedure control, results, and
     * every segment of it as it came (Z-segments too), for the site's field rules.
     */
    public record OrderGroup(ORC orc, OBR obr, List<NTE> notes, List<TQ1> timings, List<IPC> procedures,
            List<Segment> segments, List<Result> results) {}

    /**
     * The first segment with this name in the order group (when one is given), else in the part of the message before
     * the first order (MSH, PID, PV1, Z-segments there); null when there is none.
     */
    public Segment segment(String name, OrderGroup group) {
        Segment inGroup = group == null ? null : first(group.segments(), name);
        return inGroup != null ? inGroup : first(segments, name);
    }

    /** The first segment with this name in the list; null when there is none. */
    public static Segment first(List<Segment> segments, String name) {
        return segments.stream().filter(segment -> segment.getName().equals(name)).findFirst().orElse(null);
    }

    /** An OBX with the NTEs that follow it; {@code sequence}: which OBX of the message it is (1 for the first). */
    public record Result(OBX obx, List<NTE> notes, int sequence) {

        /** Where a field of this OBX is, for an ERR segment: {@code OBX[2]-5.5} is OBX-5.5 of the second OBX. */
        public String field(String position) {
            return "OBX[" + sequence + "]-" + position;
        }

        /** This OBX in a sentence: {@code OBX 3} by its set ID, or by its position when OBX-1 is empty. */
        public String label() {
            String setId = obx.getSetIDOBX().getValue();
            return HdToSystem.blank(setId) ? "the OBX at position " + sequence : "OBX " + setId.trim();
        }
    }

    public static V2Message read(Message message) throws HL7Exception {
        MSH msh = null;
        PID pid = null;
        PV1 pv1 = null;
        List<Segment> segments = new ArrayList<>();
        List<OrderGroup> orders = new ArrayList<>();
        Builder current = null;
        int results = 0;
        for (ReadOnlyMessageIterator it = new ReadOnlyMessageIterator(message); it.hasNext(); ) {
            Structure structure = it.next();
            if (!(structure instanceof Segment segment) || segment.isEmpty()) {
                continue;
            }
            switch (segment.getName()) {
                case "MSH" -> msh = (MSH) segment;
                case "PID" -> pid = pid == null ? (PID) segment : pid;
                case "PV1" -> pv1 = pv1 == null ? (PV1) segment : pv1;
                case "ORC" -> {
                    current = finish(current, orders);
                    current.orc = (ORC) segment;
                }
                case "OBR" -> {
                    if (current == null || current.obr != null) {
                        current = finish(current, orders);
                    }
                    current.obr = (OBR) segment;
                }
                case "NTE" -> {
                    if (current != null && !current.results.isEmpty()) {
                        current.results.get(current.results.size() - 1).notes().add((NTE) segment);
                    } else if (current != null) {
                        current.notes.add((NTE) segment);
                    }
                }
                case "TQ1" -> orderOf(current).timings.add((TQ1) segment);
                case "IPC" -> orderOf(current).procedures.add((IPC) segment);
                case "OBX" -> orderOf(current).results.add(new Result((OBX) segment, new ArrayList<>(), ++results));
                default -> { }
            }
            if (current != null && (current.orc != null || current.obr != null)) {
                current.segments.add(segment);
            } else {
                segments.add(segment);
            }
        }
        finish(current, orders);
        return new V2Message(msh, pid, pv1, List.copyOf(segments), List.copyOf(orders));
    }

    private static Builder orderOf(Builder current) {
        return current != null ? current : new Builder();
    }

    private static Builder finish(Builder current, List<OrderGroup> orders) {
        if (current != null && (current.orc != null || current.obr != null)) {
            orders.add(new OrderGroup(current.orc, current.obr, current.notes, current.timings, current.procedures,
                    current.segments, current.results));
        }
        return new Builder();
    }

    private static final class Builder {
        ORC orc;
        OBR obr;
        final List<NTE> notes = new ArrayList<>();
        final List<TQ1> timings = new ArrayList<>();
        final List<IPC> procedures = new ArrayList<>();
        final List<Segment> segments = new ArrayList<>();
        final List<Result> results = new ArrayList<>();
    }
}
