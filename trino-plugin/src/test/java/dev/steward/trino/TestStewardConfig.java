package dev.steward.trino;

import io.trino.spi.TrinoException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestStewardConfig
{
    private static final Map<String, String> REQUIRED = Map.of(
            "steward.console-url", "http://127.0.0.1:3000",
            "steward.api-key", "stw_abc");

    @Test
    void defaults()
    {
        StewardConfig config = StewardConfig.fromProperties(REQUIRED);
        assertEquals(URI.create("http://127.0.0.1:3000"), config.consoleUrl());
        assertEquals("stw_abc", config.apiKey());
        assertEquals(Duration.ofSeconds(5), config.requestTimeout());
        assertEquals(Duration.ofSeconds(60), config.cacheTtl());
        assertEquals("steward", config.serviceUser());
        assertEquals(32L * 1024 * 1024, config.maxResponseSize());
        assertTrue(config.cacheEnabled());
        assertTrue(config.epochWatch());
        assertEquals(Duration.ofSeconds(20), config.epochWatchWait());
        assertTrue(config.epochWatchEnabled());
    }

    @Test
    void explicitValues()
    {
        StewardConfig config = StewardConfig.fromProperties(with(Map.of(
                "steward.console-url", "https://steward.example.com/base/",
                "steward.request-timeout", "500ms",
                "steward.cache-ttl", "1m",
                "steward.service-user", "svc",
                "steward.max-response-size", "64kB",
                "steward.epoch-watch", "false",
                "steward.epoch-watch-wait", "30s")));
        assertEquals(URI.create("https://steward.example.com/base"), config.consoleUrl());
        assertEquals(Duration.ofMillis(500), config.requestTimeout());
        assertEquals(Duration.ofMinutes(1), config.cacheTtl());
        assertEquals("svc", config.serviceUser());
        assertEquals(64L * 1024, config.maxResponseSize());
        assertFalse(config.epochWatch());
        assertEquals(Duration.ofSeconds(30), config.epochWatchWait());
        assertFalse(config.epochWatchEnabled());
    }

    @Test
    void epochWatch()
    {
        assertTrue(StewardConfig.fromProperties(with(Map.of("steward.epoch-watch", " TRUE "))).epochWatch());
        assertFalse(StewardConfig.fromProperties(with(Map.of("steward.epoch-watch", "False"))).epochWatch());
        assertEquals(Duration.ofSeconds(1), StewardConfig.fromProperties(with(Map.of("steward.epoch-watch-wait", "1s"))).epochWatchWait());
        assertEquals(Duration.ofMillis(1500), StewardConfig.fromProperties(with(Map.of("steward.epoch-watch-wait", "1500ms"))).epochWatchWait());
        // Nothing to invalidate without a cache: no watch, whatever it says.
        StewardConfig uncached = StewardConfig.fromProperties(with(Map.of("steward.cache-ttl", "0s", "steward.epoch-watch", "true")));
        assertTrue(uncached.epochWatch());
        assertFalse(uncached.epochWatchEnabled());
        String text = StewardConfig.fromProperties(REQUIRED).toString();
        assertTrue(text.contains("epochWatch=true, epochWatchWait=20s"), text);
    }

    @Test
    void rejectsBadEpochWatchValues()
    {
        assertInvalid(with(Map.of("steward.epoch-watch", "yes")), "Steward: steward.epoch-watch must be true or false, got: 'yes'");
        assertInvalid(with(Map.of("steward.epoch-watch", "")), "steward.epoch-watch must be true or false, got: ''");
        assertInvalid(with(Map.of("steward.epoch-watch-wait", "500ms")), "Steward: steward.epoch-watch-wait must be from 1s to 30s, got: '500ms'");
        assertInvalid(with(Map.of("steward.epoch-watch-wait", "0s")), "steward.epoch-watch-wait must be from 1s to 30s, got: '0s'");
        assertInvalid(with(Map.of("steward.epoch-watch-wait", "31s")), "steward.epoch-watch-wait must be from 1s to 30s, got: '31s'");
        assertInvalid(with(Map.of("steward.epoch-watch-wait", "1m")), "steward.epoch-watch-wait must be from 1s to 30s, got: '1m'");
        assertInvalid(with(Map.of("steward.epoch-watch-wait", "20")), "steward.epoch-watch-wait must be a duration like 500ms, 5s or 1m, got: '20'");
        assertInvalid(with(Map.of("steward.epoch-watch-wait", "2d")), "steward.epoch-watch-wait must be at most 1d");
    }

    @Test
    void dataSizes()
    {
        assertEquals(1000, StewardConfig.parseDataSize("x", "1000B", 0));
        assertEquals(512L * 1024, StewardConfig.parseDataSize("x", "512kB", 0));
        assertEquals(4L * 1024 * 1024, StewardConfig.parseDataSize("x", " 4 MB ", 0));
        assertEquals(1024L * 1024 * 1024, StewardConfig.parseDataSize("x", "1GB", 0));
        assertEquals(7, StewardConfig.parseDataSize("x", null, 7));
        assertEquals("4MB", StewardConfig.formatSize(4L * 1024 * 1024));
        assertEquals("64kB", StewardConfig.formatSize(64L * 1024));
        assertEquals("1GB", StewardConfig.formatSize(1024L * 1024 * 1024));
        assertEquals("1000B", StewardConfig.formatSize(1000));
        assertEquals("1025kB", StewardConfig.formatSize(1025L * 1024));
    }

    @Test
    void rejectsBadDataSizes()
    {
        assertInvalid(with(Map.of("steward.max-response-size", "4")), "steward.max-response-size must be a data size like 512kB, 4MB or 1GB, got: '4'");
        assertInvalid(with(Map.of("steward.max-response-size", "4mb")), "steward.max-response-size must be a data size");
        assertInvalid(with(Map.of("steward.max-response-size", "1.5MB")), "steward.max-response-size must be a data size");
        assertInvalid(with(Map.of("steward.max-response-size", "-1MB")), "steward.max-response-size must be a data size");
        assertInvalid(with(Map.of("steward.max-response-size", "1TB")), "steward.max-response-size must be a data size");
        assertInvalid(with(Map.of("steward.max-response-size", "0B")), "steward.max-response-size must be greater than 0");
        assertInvalid(with(Map.of("steward.max-response-size", "2GB")), "steward.max-response-size must be at most 1GB, got: '2GB'");
        assertInvalid(with(Map.of("steward.max-response-size", "1048577kB")), "steward.max-response-size must be at most 1GB");
        assertInvalid(with(Map.of("steward.max-response-size", "99999999999999999999B")), "steward.max-response-size must be at most 1GB");
    }

    @Test
    void durations()
    {
        assertEquals(Duration.ofMillis(500), StewardConfig.parseDuration("x", "500ms", Duration.ZERO));
        assertEquals(Duration.ofSeconds(5), StewardConfig.parseDuration("x", "5s", Duration.ZERO));
        assertEquals(Duration.ofSeconds(5), StewardConfig.parseDuration("x", " 5 s ", Duration.ZERO));
        assertEquals(Duration.ofMinutes(1), StewardConfig.parseDuration("x", "1m", Duration.ZERO));
        assertEquals(Duration.ofHours(2), StewardConfig.parseDuration("x", "2h", Duration.ZERO));
        assertEquals(Duration.ofDays(1), StewardConfig.parseDuration("x", "1d", Duration.ZERO));
        assertEquals(Duration.ofSeconds(7), StewardConfig.parseDuration("x", null, Duration.ofSeconds(7)));
        assertEquals("500ms", StewardConfig.format(Duration.ofMillis(500)));
        assertEquals("5s", StewardConfig.format(Duration.ofSeconds(5)));
        assertEquals("2m", StewardConfig.format(Duration.ofMinutes(2)));
        assertEquals("0s", StewardConfig.format(Duration.ZERO));
    }

    @Test
    void zeroCacheTtlDisablesCaching()
    {
        assertFalse(StewardConfig.fromProperties(with(Map.of("steward.cache-ttl", "0s"))).cacheEnabled());
        assertFalse(StewardConfig.fromProperties(with(Map.of("steward.cache-ttl", "0ms"))).cacheEnabled());
    }

    @Test
    void rejectsBadDurations()
    {
        assertInvalid(with(Map.of("steward.request-timeout", "5")), "steward.request-timeout must be a duration like 500ms, 5s or 1m, got: '5'");
        assertInvalid(with(Map.of("steward.request-timeout", "fast")), "steward.request-timeout must be a duration");
        assertInvalid(with(Map.of("steward.request-timeout", "-1s")), "steward.request-timeout must be a duration");
        assertInvalid(with(Map.of("steward.request-timeout", "0s")), "steward.request-timeout must be greater than 0");
        assertInvalid(with(Map.of("steward.cache-ttl", "1.5s")), "steward.cache-ttl must be a duration");
        assertInvalid(with(Map.of("steward.cache-ttl", "2d")), "steward.cache-ttl must be at most 1d");
        assertInvalid(with(Map.of("steward.cache-ttl", "99999999999999999999ms")), "steward.cache-ttl must be at most 1d");
    }

    @Test
    void requiresConsoleUrlAndApiKey()
    {
        assertInvalid(Map.of("steward.api-key", "k"), "Steward: catalog property steward.console-url is required");
        assertInvalid(Map.of("steward.console-url", "http://localhost:3000"), "Steward: catalog property steward.api-key is required");
        assertInvalid(with(Map.of("steward.api-key", "  ")), "Steward: catalog property steward.api-key is required");
        assertInvalid(with(Map.of("steward.service-user", "")), "Steward: catalog property steward.service-user is required");
    }

    @Test
    void rejectsBadUrls()
    {
        assertInvalid(with(Map.of("steward.console-url", "localhost:3000")), "steward.console-url must be an http:// or https:// URL");
        assertInvalid(with(Map.of("steward.console-url", "ftp://host/")), "steward.console-url must be an http:// or https:// URL");
        assertInvalid(with(Map.of("steward.console-url", "http://host/?a=b")), "must not have a query or fragment");
        assertInvalid(with(Map.of("steward.console-url", "http://ho st/")), "steward.console-url is not a valid URL");
    }

    @Test
    void rejectsUnknownProperties()
    {
        assertInvalid(with(Map.of("steward.cache-tll", "5s")), "Steward: unknown catalog property steward.cache-tll (known: steward.api-key, steward.cache-ttl, ");
        assertInvalid(with(Map.of("steward.x", "1", "other", "2")), "Steward: unknown catalog properties other, steward.x");
    }

    @Test
    void toStringHidesApiKey()
    {
        String text = StewardConfig.fromProperties(REQUIRED).toString();
        assertFalse(text.contains("stw_abc"), text);
        assertTrue(text.contains("apiKey=***"), text);
    }

    private static Map<String, String> with(Map<String, String> overrides)
    {
        Map<String, String> properties = new HashMap<>(REQUIRED);
        properties.putAll(overrides);
        return properties;
    }

    private static void assertInvalid(Map<String, String> properties, String expectedMessagePart)
    {
        TrinoException e = assertThrows(TrinoException.class, () -> StewardConfig.fromProperties(properties));
        assertEquals(CONFIGURATION_INVALID.toErrorCode(), e.getErrorCode());
        assertTrue(e.getMessage().startsWith("Steward: "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    }
}
