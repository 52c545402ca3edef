package dev.steward.trino;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestViewCache
{
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");

    private final TestingClock clock = new TestingClock(START);
    private final ViewCache cache = clock.cache(Duration.ofSeconds(60));

    @Test
    void keepsAnswersForTheTtl()
    {
        cache.observeEpoch(5);
        cache.put("k", "v", OptionalLong.of(5));
        assertEquals("v", cache.get("k"));
        clock.advance(Duration.ofSeconds(59));
        assertEquals("v", cache.get("k"));
        clock.advance(Duration.ofSeconds(1));
        assertNull(cache.get("k"));
        assertEquals(0, cache.size());
    }

    @Test
    void epochChangeDropsEverything()
    {
        cache.observeEpoch(5);
        cache.put("a", "1", OptionalLong.of(5));
        cache.put("b", "2", OptionalLong.of(5));
        cache.observeEpoch(5);
        assertEquals(2, cache.size());
        cache.observeEpoch(6);
        assertNull(cache.get("a"));
        assertEquals(0, cache.size());
        cache.put("a", "3", OptionalLong.of(6));
        cache.observeEpoch(1);
        assertNull(cache.get("a"));
    }

    @Test
    void keepsOnlyAnswersFromTheCurrentEpoch()
    {
        cache.put("k", "before any epoch", OptionalLong.of(5));
        assertNull(cache.get("k"));
        cache.observeEpoch(5);
        cache.put("k", "older", OptionalLong.of(4));
        cache.put("k", "newer", OptionalLong.of(6));
        cache.put("k", "unknown", OptionalLong.empty());
        assertNull(cache.get("k"));
        cache.put("k", "current", OptionalLong.of(5));
        assertEquals("current", cache.get("k"));
    }

    @Test
    void zeroTtlKeepsNothing()
    {
        ViewCache disabled = clock.cache(Duration.ZERO);
        assertFalse(disabled.isEnabled());
        disabled.observeEpoch(1);
        disabled.put("k", "v", OptionalLong.of(1));
        assertNull(disabled.get("k"));
        assertTrue(cache.isEnabled());
        assertThrows(IllegalArgumentException.class, () -> new ViewCache(Duration.ofSeconds(-1)));
    }

    @Test
    void keepsAnswersUntilTheirValidUntil()
    {
        cache.observeEpoch(5);
        cache.put("k", "v", OptionalLong.of(5), Optional.of(START.plusSeconds(30)), 1);
        clock.advance(Duration.ofSeconds(29));
        assertEquals("v", cache.get("k"));
        // Before the TTL, with no epoch change: the answer's own limit ends it.
        clock.advance(Duration.ofSeconds(1));
        assertNull(cache.get("k"));
        assertEquals(0, cache.weight());
    }

    @Test
    void ttlStillAppliesWhenValidUntilIsLater()
    {
        cache.observeEpoch(5);
        cache.put("k", "v", OptionalLong.of(5), Optional.of(START.plus(Duration.ofDays(365))), 1);
        clock.advance(Duration.ofSeconds(60));
        assertNull(cache.get("k"));
    }

    @Test
    void answerAlreadyPastItsValidUntilIsNotKept()
    {
        cache.observeEpoch(5);
        cache.put("now", "v", OptionalLong.of(5), Optional.of(START.plusNanos(1_000)), 1);
        cache.put("past", "v", OptionalLong.of(5), Optional.of(START.minusSeconds(1)), 1);
        assertNull(cache.get("now"));
        assertNull(cache.get("past"));
        assertEquals(0, cache.size());
    }

    @Test
    void staysBoundedByWeight()
    {
        cache.observeEpoch(1);
        for (int i = 0; i < ViewCache.MAX_WEIGHT; i++) {
            cache.put(i, i, OptionalLong.of(1));
            clock.advance(Duration.ofNanos(1));
        }
        assertEquals(ViewCache.MAX_WEIGHT, cache.weight());
        // A bulk answer of 5,000 views: the entries closest to expiry make room, down to three quarters.
        cache.put("bulk", "5000 views", OptionalLong.of(1), Optional.empty(), 5_000);
        assertEquals(ViewCache.MAX_WEIGHT / 4 * 3, cache.weight());
        assertEquals("5000 views", cache.get("bulk"));
        assertNull(cache.get(0));
        assertEquals((int) ViewCache.MAX_WEIGHT - 1, (int) (Integer) cache.get((int) ViewCache.MAX_WEIGHT - 1));
        // What could never fit is not kept at all.
        cache.put("huge", "too many views", OptionalLong.of(1), Optional.empty(), ViewCache.MAX_WEIGHT + 1);
        assertNull(cache.get("huge"));
        assertThrows(IllegalArgumentException.class, () -> cache.put("k", "v", OptionalLong.of(1), Optional.empty(), 0));
    }

    @Test
    void replacingAnEntryReplacesItsWeight()
    {
        cache.observeEpoch(1);
        cache.put("k", "a", OptionalLong.of(1), Optional.empty(), 10);
        cache.put("k", "b", OptionalLong.of(1), Optional.empty(), 3);
        assertEquals(3, cache.weight());
        cache.observeEpoch(2);
        assertEquals(0, cache.weight());
    }

    @Test
    void clearForgetsTheEpoch()
    {
        cache.observeEpoch(3);
        cache.put("k", "v", OptionalLong.of(3));
        cache.clear();
        assertNull(cache.get("k"));
        cache.put("k", "v", OptionalLong.of(3));
        assertNull(cache.get("k"));
    }
}
