package io.imaginggateway.dicom;

import io.imaginggateway.fhirstore.LeastRecentlyUsedMap;
import java.util.Map;

/**
 * The patient and accession number (as {@code DicomInstance.identityKey}) of the first instance of each study received
 * lately, so that a study's next instances are checked against it without asking the store, also while the first
 * batch is not written yet. Bounded: the oldest studies are forgotten (the store's check covers them).
 */
final class StudyIdentities {

    private static final int CAPACITY = 10_000;

    private final Map<String, String> byStudy = new LeastRecentlyUsedMap<>(CAPACITY);

    /** The identity key of the study's first instance, if it was seen lately; else null. */
    synchronized String firstKey(String studyUid) {
        return byStudy.get(studyUid);
    }

    synchronized void remember(String studyUid, String key) {
        byStudy.putIfAbsent(studyUid, key);
    }
}
