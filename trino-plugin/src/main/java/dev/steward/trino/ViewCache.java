package dev.steward.trino;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Console answers, each kept for the TTL and only while the console's epoch stays where it was when the answer
 * was computed. Any epoch change (forward, or backward after a console reset) drops everything.
 */
public class ViewCache
{
    // Enough for thousands of users; past it, the cache starts over rather than growing without bound.
    static final int MAX_ENTRIES = 50_000;

    private record Entry(Object value, long expiresAtNanos) {}

    private final long ttlNanos;
    private final LongSupplier ticker;
    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private boolean epochKnown;
    private long epoch;

    public ViewCache(Duration ttl)
    {
        this(ttl, System::nanoTime);
    }

    public ViewCache(Duration ttl, LongSupplier ticker)
    {
        requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl is negative");
        }
        this.ttlNanos = ttl.toNanos();
        this.ticker = requireNonNull(ticker, "ticker is null");
    }

    public boolean isEnabled()
    {
        return ttlNanos > 0;
    }

    /**
     * Records the console's current epoch; when it differs from the last one seen, every entry is dropped.
     */
    public void observeEpoch(long currentEpoch)
    {
        synchronized (lock) {
            if (!epochKnown || currentEpoch != epoch) {
                entries.clear();
                epoch = currentEpoch;
                epochKnown = true;
            }
        }
    }

    /**
     * Returns the cached value, or null when absent or expired.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Object key)
    {
        requireNonNull(key, "key is null");
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (ticker.getAsLong() - entry.expiresAtNanos() >= 0) {
            entries.remove(key, entry);
            return null;
        }
        return (T) entry.value();
    }

    /**
     * Keeps an answer computed at {@code answerEpoch}. An answer without an epoch, or from an epoch other than the
     * current one, is not kept: it may predate a change that another call has already seen.
     */
    public void put(Object key, Object value, OptionalLong answerEpoch)
    {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        requireNonNull(answerEpoch, "answerEpoch is null");
        if (!isEnabled() || answerEpoch.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (!epochKnown || answerEpoch.getAsLong() != epoch) {
                return;
            }
            long now = ticker.getAsLong();
            if (entries.size() >= MAX_ENTRIES) {
                entries.values().removeIf(entry -> now - entry.expiresAtNanos() >= 0);
                if (entries.size() >= MAX_ENTRIES) {
                    entries.clear();
                }
            }
            entries.put(key, new Entry(value, now + ttlNanos));
        }
    }

    public void clear()
    {
        synchronized (lock) {
            entries.clear();
            epochKnown = false;
        }
    }

    int size()
    {
        return entries.size();
    }
}
