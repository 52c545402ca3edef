package dev.steward.trino;

import io.trino.spi.TrinoException;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TestStewardConnectorFactory
{
    // The connector needs nothing from the engine's context.
    private static final ConnectorContext CONTEXT = new ConnectorContext() {};

    @Test
    void createsConnector()
    {
        Connector connector = new StewardConnectorFactory().create("governed", Map.of(
                "steward.console-url", "http://127.0.0.1:1",
                "steward.api-key", "stw_x"), CONTEXT);
        try {
            assertInstanceOf(StewardConnector.class, connector);
        }
        finally {
            connector.shutdown();
        }
    }

    @Test
    void failsCatalogCreationOnBadConfig()
    {
        TrinoException e = assertThrows(TrinoException.class, () -> new StewardConnectorFactory().create("governed", Map.of(
                "steward.console-url", "http://127.0.0.1:1",
                "steward.api-key", "stw_x",
                "steward.timeout", "5s"), CONTEXT));
        assertEquals(CONFIGURATION_INVALID.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: unknown catalog property steward.timeout (known: steward.api-key, steward.cache-ttl, steward.console-url, "
                + "steward.max-response-size, steward.request-timeout, steward.service-user)", e.getMessage());

        e = assertThrows(TrinoException.class, () -> new StewardConnectorFactory().create("governed", Map.of("steward.api-key", "stw_x"), CONTEXT));
        assertEquals("Steward: catalog property steward.console-url is required", e.getMessage());
    }
}
