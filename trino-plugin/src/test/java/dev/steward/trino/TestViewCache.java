package dev.steward.trino;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestViewCache
{
    private final AtomicLong now = new AtomicLong(1_000);
    private final ViewCache cache = new ViewCache(Duration.ofSeconds(60), now::get);

    @Test
    void keepsAnswersForTheTtl()
    {
        cache.observeEpoch(5);
        cache.put("k", "v", OptionalLong.of(5));
        assertEquals("v", cache.get("k"));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals("v", cache.get("k"));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
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
        ViewCache disabled = new ViewCache(Duration.ZERO, now::get);
        assertFalse(disabled.isEnabled());
        disabled.observeEpoch(1);
        disabled.put("k", "v", OptionalLong.of(1));
        assertNull(disabled.get("k"));
        assertTrue(cache.isEnabled());
        assertThrows(IllegalArgumentException.class, () -> new ViewCache(Duration.ofSeconds(-1)));
    }

    @Test
    void staysBounded()
    {
        cache.observeEpoch(1);
        for (int i = 0; i < ViewCache.MAX_ENTRIES; i++) {
            cache.put(i, i, OptionalLong.of(1));
        }
        assertEquals(ViewCache.MAX_ENTRIES, cache.size());
        cache.put("one more", 0, OptionalLong.of(1));
        assertEquals(1, cache.size());
        assertEquals(0, (Integer) cache.get("one more"));
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
