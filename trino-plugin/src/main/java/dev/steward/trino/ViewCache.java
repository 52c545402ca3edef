package dev.steward.trino;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Console answers, each kept until the earlier of the TTL and the answer's own {@code validUntil} (a subscription
 * expiring, a time window closing: a change that no write announces), and only while the console's epoch stays
 * where it was when the answer was computed. Any epoch change (forward, or backward after a console reset) drops
 * everything.
 * <p>
 * The TTL runs on a monotonic ticker; {@code validUntil} is a wall-clock instant and is compared with the clock at
 * every read, so a clock correction moves it as it should.
 */
public class ViewCache
{
    /**
     * Bound on the total weight kept: a weight is the number of view definitions an entry holds (at least 1), so a
     * bulk answer of 5,000 views weighs 5,000. Past it, the entries closest to expiry go first.
     */
    static final long MAX_WEIGHT = 100_000;

    private record Entry(Object value, long expiresAtNanos, Optional<Instant> validUntil, long weight) {}

    private final long ttlNanos;
    private final Clock clock;
    private final LongSupplier ticker;
    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private long weight;
    private boolean epochKnown;
    private long epoch;

    public ViewCache(Duration ttl)
    {
        this(ttl, Clock.systemUTC(), System::nanoTime);
    }

    /**
     * @param clock wall clock, compared with the answers' {@code validUntil}
     * @param ticker monotonic nanoseconds, for the TTL
     */
    public ViewCache(Duration ttl, Clock clock, LongSupplier ticker)
    {
        requireNonNull(ttl, "ttl is null");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl is negative");
        }
        this.ttlNanos = ttl.toNanos();
        this.clock = requireNonNull(clock, "clock is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
    }

    public boolean isEnabled()
    {
        return ttlNanos > 0;
    }

    /**
     * The ticker this cache runs on (monotonic nanoseconds).
     */
    long nanoTime()
    {
        return ticker.getAsLong();
    }

    /**
     * Records the console's current epoch; when it differs from the last one seen, every entry is dropped.
     */
    public void observeEpoch(long currentEpoch)
    {
        synchronized (lock) {
            if (!epochKnown || currentEpoch != epoch) {
                entries.clear();
                weight = 0;
                epoch = currentEpoch;
                epochKnown = true;
            }
        }
    }

    /**
     * Returns the cached value, or null when absent, past the TTL or past its {@code validUntil}.
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Object key)
    {
        requireNonNull(key, "key is null");
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        // Most answers have no validUntil: the wall clock is read only for those that do.
        if (expired(entry, ticker.getAsLong(), clock::instant)) {
            synchronized (lock) {
                if (entries.remove(key, entry)) {
                    weight -= entry.weight();
                }
            }
            return null;
        }
        return (T) entry.value();
    }

    /**
     * Keeps an answer of weight 1 and no time limit of its own.
     */
    public void put(Object key, Object value, OptionalLong answerEpoch)
    {
        put(key, value, answerEpoch, Optional.empty(), 1);
    }

    /**
     * Keeps an answer computed at {@code answerEpoch} until the earlier of the TTL and {@code validUntil}. An answer
     * without an epoch, or from an epoch other than the current one, is not kept: it may predate a change that
     * another call has already seen. Neither is one already past its {@code validUntil}, nor one heavier than the
     * whole cache may be.
     */
    public void put(Object key, Object value, OptionalLong answerEpoch, Optional<Instant> validUntil, long entryWeight)
    {
        requireNonNull(key, "key is null");
        requireNonNull(value, "value is null");
        requireNonNull(answerEpoch, "answerEpoch is null");
        requireNonNull(validUntil, "validUntil is null");
        if (entryWeight < 1) {
            throw new IllegalArgumentException("weight must be at least 1");
        }
        if (!isEnabled() || answerEpoch.isEmpty() || entryWeight > MAX_WEIGHT) {
            return;
        }
        Instant now = clock.instant();
        if (validUntil.isPresent() && !now.isBefore(validUntil.get())) {
            return;
        }
        synchronized (lock) {
            if (!epochKnown || answerEpoch.getAsLong() != epoch) {
                return;
            }
            long nowNanos = ticker.getAsLong();
            Entry previous = entries.put(key, new Entry(value, nowNanos + ttlNanos, validUntil, entryWeight));
            weight += entryWeight - (previous == null ? 0 : previous.weight());
            if (weight > MAX_WEIGHT) {
                evict(key, nowNanos, now);
            }
        }
    }

    public void clear()
    {
        synchronized (lock) {
            entries.clear();
            weight = 0;
            epochKnown = false;
        }
    }

    int size()
    {
        return entries.size();
    }

    long weight()
    {
        synchronized (lock) {
            return weight;
        }
    }

    // Caller holds the lock. Drops what has expired, then the entries closest to expiry (never the one just kept)
    // until a quarter is free, so that a full cache is not sorted again at every put.
    private void evict(Object kept, long nowNanos, Instant now)
    {
        entries.entrySet().removeIf(entry -> {
            if (expired(entry.getValue(), nowNanos, () -> now)) {
                weight -= entry.getValue().weight();
                return true;
            }
            return false;
        });
        if (weight <= MAX_WEIGHT) {
            return;
        }
        List<Map.Entry<Object, Entry>> byExpiry = new ArrayList<>(entries.entrySet());
        byExpiry.sort(Comparator.comparingLong(entry -> entry.getValue().expiresAtNanos() - nowNanos));
        for (Map.Entry<Object, Entry> entry : byExpiry) {
            if (weight <= MAX_WEIGHT / 4 * 3) {
                break;
            }
            if (!entry.getKey().equals(kept) && entries.remove(entry.getKey(), entry.getValue())) {
                weight -= entry.getValue().weight();
            }
        }
    }

    // The wall clock is asked only for an entry with a validUntil.
    private static boolean expired(Entry entry, long nowNanos, Supplier<Instant> now)
    {
        return nowNanos - entry.expiresAtNanos() >= 0 || (entry.validUntil().isPresent() && !now.get().isBefore(entry.validUntil().get()));
    }
}
