package dev.steward.trino;

import io.trino.spi.Plugin;
import io.trino.spi.connector.ConnectorFactory;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
}
