package dev.steward.trino;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A wall clock and a monotonic ticker that move together, only when told to.
 */
final class TestingClock
        extends Clock
{
    private final Instant start;
    private final AtomicLong nanos = new AtomicLong(1_000);

    TestingClock(Instant start)
    {
        this.start = start;
    }

    /**
     * The ticker for {@link ViewCache}: nanoseconds, like System.nanoTime.
     */
    long nanos()
    {
        return nanos.get();
    }

    void advance(Duration duration)
    {
        nanos.addAndGet(duration.toNanos());
    }

    ViewCache cache(Duration ttl)
    {
        return new ViewCache(ttl, this, this::nanos);
    }

    @Override
    public Instant instant()
    {
        return start.plusNanos(nanos.get());
    }

    @Override
    public ZoneId getZone()
    {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone)
    {
        throw new UnsupportedOperationException();
    }
}
