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

class TestQueryAuditConfig
{
    private static final Map<String, String> REQUIRED = Map.of(
            "steward.console-url", "http://127.0.0.1:3000",
            "steward.api-key", "stw_abc");

    @Test
    void defaults()
    {
        QueryAuditConfig config = QueryAuditConfig.fromProperties(REQUIRED);
        assertEquals(URI.create("http://127.0.0.1:3000"), config.consoleUrl());
        assertEquals(Duration.ofSeconds(5), config.requestTimeout());
        assertEquals(1_000, config.queueSize());
        assertEquals(100, config.batchSize());
        assertEquals(Duration.ofMillis(250), config.batchLinger());
    }

    @Test
    void explicitValues()
    {
        QueryAuditConfig config = QueryAuditConfig.fromProperties(with(Map.of(
                "steward.queue-size", "50",
                "steward.batch-size", "1000",
                "steward.batch-linger", "0ms")));
        assertEquals(50, config.queueSize());
        assertEquals(1_000, config.batchSize());
        assertEquals(Duration.ZERO, config.batchLinger());
        assertEquals(1, QueryAuditConfig.fromProperties(with(Map.of("steward.batch-size", " 1 "))).batchSize());
        assertEquals(Duration.ofSeconds(10), QueryAuditConfig.fromProperties(with(Map.of("steward.batch-linger", "10s"))).batchLinger());
    }

    @Test
    void rejectsBadBatchValues()
    {
        assertInvalid(with(Map.of("steward.batch-size", "0")), "Steward: steward.batch-size must be a number from 1 to 1000, got: '0'");
        assertInvalid(with(Map.of("steward.batch-size", "1001")), "steward.batch-size must be a number from 1 to 1000, got: '1001'");
        assertInvalid(with(Map.of("steward.batch-size", "-5")), "steward.batch-size must be a number from 1 to 1000");
        assertInvalid(with(Map.of("steward.batch-size", "many")), "steward.batch-size must be a number from 1 to 1000");
        assertInvalid(with(Map.of("steward.batch-linger", "250")), "Steward: steward.batch-linger must be a duration like 500ms, 5s or 1m, got: '250'");
        assertInvalid(with(Map.of("steward.batch-linger", "-1ms")), "steward.batch-linger must be a duration");
        assertInvalid(with(Map.of("steward.batch-linger", "11s")), "Steward: steward.batch-linger must be at most 10s, got: '11s'");
        assertInvalid(with(Map.of("steward.batch-linger", "1m")), "steward.batch-linger must be at most 10s, got: '1m'");
        assertInvalid(with(Map.of("steward.batch", "5")), "Steward: unknown query audit property steward.batch (known: ");
    }

    @Test
    void toStringHidesApiKey()
    {
        String text = QueryAuditConfig.fromProperties(REQUIRED).toString();
        assertFalse(text.contains("stw_abc"), text);
        assertTrue(text.contains("apiKey=***"), text);
        assertTrue(text.contains("batchSize=100, batchLinger=250ms"), text);
    }

    private static Map<String, String> with(Map<String, String> overrides)
    {
        Map<String, String> properties = new HashMap<>(REQUIRED);
        properties.putAll(overrides);
        return properties;
    }

    private static void assertInvalid(Map<String, String> properties, String expectedMessagePart)
    {
        TrinoException e = assertThrows(TrinoException.class, () -> QueryAuditConfig.fromProperties(properties));
        assertEquals(CONFIGURATION_INVALID.toErrorCode(), e.getErrorCode());
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    }
}
