package io.imaginggateway.linking;

import io.imaginggateway.mapping.dicom.ImagingStudyAssembler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * How a feed's new view of a resource is combined with what is stored, when several feeds (orders, reports, images)
 * each know part of one thing and arrive in any order:
 * <ul>
 *   <li>an element the new view leaves out keeps its stored value (an order message does not erase the series the
 *       images added; a cancel that carries only the order numbers does not erase the procedure; a report without a
 *       visit does not erase the order's encounter); a choice element ({@code value[x]}) is one element, and an
 *       Observation's value and the reason it is absent are one too: the new view's one replaces the stored other;</li>
 *   <li>identifiers are united (kept in their stored order, new ones appended), as are an ImagingStudy's series (by
 *       series UID) and their instances (by SOP Instance UID, counts recomputed), modalities and basedOn references, and the codings of a ServiceRequest's categories (a cancel
 *       without OBR-24 keeps the modality);</li>
 *   <li>a status only moves forward: a stand-in status ({@code unknown}, an ImagingStudy's {@code registered}) never
 *       replaces a real one, and a ServiceRequest that was revoked, completed or entered in error is not made active
 *       again by a late or re-ordered message (CA before NW ends revoked);</li>
 *   <li>a report or result of an earlier stage than the stored one (a preliminary after the final, a final re-sent
 *       after the correction) is late and changes nothing.</li>
 * </ul>
 * Known limit: a feed cannot remove an optional element by leaving it out; it can replace it.
 */
public final class ResourceMerge {

    private static final Set<String> NOT_MERGED = Set.of("id", "meta");
    /**
     * Elements of which a resource has one or the other, never both (Observation: a value or the reason it is
     * absent, obs-6): a feed that sends one replaces the stored other.
     */
    private static final Map<String, String> EITHER_OR = Map.of("value[x]", "dataAbsentReason", "dataAbsentReason", "value[x]");
    private static final Set<ServiceRequest.ServiceRequestStatus> TERMINAL_ORDER = Set.of(
            ServiceRequest.ServiceRequestStatus.REVOKED, ServiceRequest.ServiceRequestStatus.COMPLETED,
            ServiceRequest.ServiceRequestStatus.ENTEREDINERROR);

    private ResourceMerge() {}

    /** Changes {@code incoming} into the merged resource. */
    public static void merge(Resource stored, Resource incoming) {
        if (!stored.fhirType().equals(incoming.fhirType())) {
            return;
        }
        for (Property property : stored.children()) {
            String name = property.getName();
            if (NOT_MERGED.contains(name) || !present(property) || present(incoming, name)
                    || EITHER_OR.containsKey(name) && present(incoming, EITHER_OR.get(name))) {
                continue;
            }
            property.getValues().forEach(value -> incoming.setProperty(name, value.copy()));
        }
        uniteIdentifiers(stored, incoming);
        if (stored instanceof ServiceRequest old && incoming instanceof ServiceRequest now) {
            now.setCategory(uniteCodings(old.getCategory(), now.getCategory()));
            if (now.getStatus() == ServiceRequest.ServiceRequestStatus.UNKNOWN
                    || TERMINAL_ORDER.contains(old.getStatus()) && !TERMINAL_ORDER.contains(now.getStatus())) {
                now.setStatus(old.getStatus());
            }
        } else if (stored instanceof ImagingStudy old && incoming instanceof ImagingStudy now) {
            mergeStudy(old, now);
        } else if (stored instanceof DiagnosticReport old && incoming instanceof DiagnosticReport now) {
            if (now.getStatus() == DiagnosticReport.DiagnosticReportStatus.UNKNOWN) {
                now.setStatus(old.getStatus());
            } else if (isLate(now.getStatus().toCode(), old.getStatus().toCode())) {
                keepStored(now, () -> old.copyValues(now));
            }
        } else if (stored instanceof Observation old && incoming instanceof Observation now) {
            if (now.getStatus() == Observation.ObservationStatus.UNKNOWN) {
                now.setStatus(old.getStatus());
            } else if (isLate(now.getStatus().toCode(), old.getStatus().toCode())) {
                keepStored(now, () -> old.copyValues(now));
            }
        } else if (stored instanceof Encounter old && incoming instanceof Encounter now
                && now.getStatus() == Encounter.EncounterStatus.UNKNOWN) {
            now.setStatus(old.getStatus());
        }
    }

    /** Whether the element has a value with content (HAPI's getters create empty elements that hold nothing). */
    private static boolean present(Resource resource, String name) {
        Property property = resource.getNamedProperty(name);
        return property != null && present(property);
    }

    private static boolean present(Property property) {
        return property.getValues().stream().anyMatch(value -> value != null && !value.isEmpty());
    }

    /**
     * Whether a report or result is of an earlier stage than the stored one: registered, then partial/preliminary,
     * then final, then amended, corrected or appended. Cancelled and entered-in-error are decisions, taken whatever
     * came before, and they hold nothing back (a report sent again after a cancel is taken).
     */
    private static boolean isLate(String incoming, String stored) {
        return stage(incoming) > 0 && stage(incoming) < stage(stored);
    }

    private static int stage(String status) {
        return switch (status) {
            case "registered" -> 1;
            case "partial", "preliminary" -> 2;
            case "final" -> 3;
            case "amended", "corrected", "appended" -> 4;
            default -> 0;
        };
    }

    /** A late copy of an earlier stage (a preliminary report after the final one) changes nothing. */
    private static void keepStored(Resource incoming, Runnable copyStoredIntoIncoming) {
        Meta meta = incoming.getMeta();
        IdType id = incoming.getIdElement();
        copyStoredIntoIncoming.run();
        incoming.setMeta(meta);
        incoming.setIdElement(id);
    }

    private static void mergeStudy(ImagingStudy old, ImagingStudy now) {
        if (now.getStatus() == ImagingStudy.ImagingStudyStatus.REGISTERED
                || now.getStatus() == ImagingStudy.ImagingStudyStatus.UNKNOWN) {
            now.setStatus(old.getStatus());
        }
        List<ImagingStudy.ImagingStudySeriesComponent> series = new ArrayList<>();
        for (ImagingStudy.ImagingStudySeriesComponent s : old.getSeries()) {
            ImagingStudy.ImagingStudySeriesComponent update = now.getSeries().stream()
                    .filter(n -> Objects.equals(n.getUid(), s.getUid())).findFirst().orElse(null);
            if (update == null) {
                series.add(s.copy());
            } else {
                // by UID in a set: a large CT series has thousands of instances, and a study is merged once per batch
                Set<String> known = new HashSet<>();
                update.getInstance().forEach(n -> known.add(n.getUid()));
                for (ImagingStudy.ImagingStudySeriesInstanceComponent i : s.getInstance()) {
                    if (known.add(i.getUid())) {
                        update.addInstance(i.copy());
                    }
                }
                series.add(update);
            }
        }
        now.getSeries().stream().filter(n -> !series.contains(n)).forEach(series::add);
        now.setSeries(series);
        if (now.getStatus() == ImagingStudy.ImagingStudyStatus.AVAILABLE || old.hasNumberOfInstances()) {
            ImagingStudyAssembler.countInstances(now);
        }
        now.setModality(unite(old.getModality(), now.getModality()));
        now.setBasedOn(unite(old.getBasedOn(), now.getBasedOn()));
    }

    private static void uniteIdentifiers(Resource stored, Resource incoming) {
        List<Identifier> old = identifiers(stored);
        List<Identifier> now = identifiers(incoming);
        if (old == null || now == null || old.isEmpty()) {
            return;
        }
        List<Identifier> fresh = new ArrayList<>(now);
        List<Identifier> merged = new ArrayList<>();
        for (Identifier kept : old) {
            Identifier replacement = fresh.stream().filter(n -> sameIdentifier(kept, n)).findFirst().orElse(null);
            fresh.remove(replacement);
            merged.add(replacement != null ? replacement : kept.copy());
        }
        merged.addAll(fresh);
        now.clear();
        now.addAll(merged);
    }

    /** The live identifier list of a resource type that has one (all the gateway stores), else null. */
    @SuppressWarnings("unchecked")
    private static List<Identifier> identifiers(Resource resource) {
        try {
            Object list = resource.getClass().getMethod("getIdentifier").invoke(resource);
            return list instanceof List<?> ? (List<Identifier>) list : null;
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static boolean sameIdentifier(Identifier a, Identifier b) {
        return Objects.equals(a.getSystem(), b.getSystem()) && Objects.equals(a.getValue(), b.getValue());
    }

    /** New concepts, each completed with the stored codings of the stored concept it shares a coding with. */
    private static List<CodeableConcept> uniteCodings(List<CodeableConcept> stored, List<CodeableConcept> incoming) {
        List<CodeableConcept> all = new ArrayList<>(incoming);
        for (CodeableConcept old : stored) {
            CodeableConcept match = all.stream()
                    .filter(c -> c.getCoding().stream().anyMatch(n -> old.getCoding().stream().anyMatch(n::equalsDeep)))
                    .findFirst().orElse(null);
            if (match == null) {
                all.add(old.copy());
            } else {
                match.setCoding(unite(old.getCoding(), match.getCoding()));
            }
        }
        return all;
    }

    /** Stored values first, then new ones not already there (compared deeply). */
    private static <T extends Base> List<T> unite(List<T> stored, List<T> incoming) {
        List<T> all = new ArrayList<>(stored);
        for (T value : incoming) {
            if (all.stream().noneMatch(value::equalsDeep)) {
                all.add(value);
            }
        }
        return all;
    }
}
