package io.imaginggateway.fhirstore;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map that forgets its least recently used entry beyond a capacity: for what is remembered only to save work. */
public final class LeastRecentlyUsedMap<K, V> extends LinkedHashMap<K, V> {

    private final int capacity;

    public LeastRecentlyUsedMap(int capacity) {
        super(Math.min(capacity, 1024), 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
