package dev.steward.trino;

import io.trino.spi.Plugin;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorFactory;
import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.EventListenerFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TestStewardPlugin
{
    @Test
    void isDiscoverableAsAService()
    {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertEquals(1, plugins.size());
        assertInstanceOf(StewardPlugin.class, plugins.getFirst());
    }

    @Test
    void providesTheStewardConnector()
    {
        List<ConnectorFactory> factories = StreamSupport.stream(new StewardPlugin().getConnectorFactories().spliterator(), false).toList();
        assertEquals(1, factories.size());
        assertEquals("steward", factories.getFirst().getName());
    }

    @Test
    void providesTheQueryAuditListener()
    {
        List<EventListenerFactory> factories = StreamSupport.stream(new StewardPlugin().getEventListenerFactories().spliterator(), false).toList();
        assertEquals(1, factories.size());
        assertEquals("steward-query-audit", factories.getFirst().getName());
        EventListener listener = factories.getFirst().create(Map.of("steward.console-url", "http://127.0.0.1:1", "steward.api-key", "stw_x"), null);
        listener.shutdown();

        // like the catalog: a typo fails at startup instead of falling back to a default
        TrinoException e = assertThrows(TrinoException.class, () -> factories.getFirst().create(Map.of("steward.console-url", "http://127.0.0.1:1", "steward.api-key", "stw_x", "steward.queue", "5"), null));
        assertEquals(CONFIGURATION_INVALID.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: unknown query audit property steward.queue (known: steward.api-key, steward.batch-linger, steward.batch-size, steward.console-url, steward.queue-size, steward.request-timeout)", e.getMessage());
        e = assertThrows(TrinoException.class, () -> factories.getFirst().create(Map.of("steward.console-url", "http://127.0.0.1:1", "steward.api-key", "stw_x", "steward.queue-size", "0"), null));
        assertEquals("Steward: steward.queue-size must be a number from 1 to 100000, got: '0'", e.getMessage());
        e = assertThrows(TrinoException.class, () -> factories.getFirst().create(Map.of("steward.console-url", "http://127.0.0.1:1"), null));
        assertEquals("Steward: query audit property steward.api-key is required", e.getMessage());
    }
}
