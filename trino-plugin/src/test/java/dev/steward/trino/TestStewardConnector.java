package dev.steward.trino;

import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorViewDefinition;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.session.PropertyMetadata;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.trino.spi.StandardErrorCode.UNSUPPORTED_ISOLATION_LEVEL;
import static io.trino.spi.transaction.IsolationLevel.READ_COMMITTED;
import static io.trino.spi.transaction.IsolationLevel.READ_UNCOMMITTED;
import static io.trino.spi.transaction.IsolationLevel.SERIALIZABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestStewardConnector
{
    @Test
    void servesViewsThroughItsMetadata()
            throws Exception
    {
        try (FakeConsole console = FakeConsole.start()) {
            console.answer("/api/trino/v1/users/alice/schemas/hr/views/employees", 200,
                    "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 AS x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]}}");
            StewardConfig config = console.config("2s", "60s");
            ConsoleClient client = new ConsoleClient(config);
            StewardConnector connector = new StewardConnector(client, new StewardMetadata(client, new ViewCache(config.cacheTtl()), "steward"));
            try {
                assertSame(StewardTransactionHandle.INSTANCE, connector.beginTransaction(READ_UNCOMMITTED, true, true));
                assertSame(StewardTransactionHandle.INSTANCE, connector.beginTransaction(READ_COMMITTED, false, false));
                Optional<ConnectorViewDefinition> view = connector.getMetadata(new TestingSession("alice"), StewardTransactionHandle.INSTANCE)
                        .getView(new TestingSession("alice"), new SchemaTableName("hr", "employees"));
                assertEquals(Optional.of("steward"), view.orElseThrow().getOwner());
            }
            finally {
                connector.shutdown();
            }
            // After shutdown the connector no longer talks to the console.
            assertThrows(TrinoException.class, client::epoch);
        }
    }

    @Test
    void rejectsStrongerIsolation()
    {
        StewardConnector connector = connector();
        TrinoException e = assertThrows(TrinoException.class, () -> connector.beginTransaction(SERIALIZABLE, true, true));
        assertEquals(UNSUPPORTED_ISOLATION_LEVEL.toErrorCode(), e.getErrorCode());
        connector.shutdown();
    }

    @Test
    void declaresProjectSessionProperty()
    {
        StewardConnector connector = connector();
        PropertyMetadata<?> property = connector.getSessionProperties().getFirst();
        assertEquals(StewardMetadata.PROJECT_PROPERTY, property.getName());
        assertEquals("", property.getDefaultValue());
        assertEquals(String.class, property.getJavaType());
        assertTrue(connector.getSessionProperties().size() == 1);
        connector.shutdown();
    }

    private static StewardConnector connector()
    {
        StewardConfig config = StewardConfig.fromProperties(java.util.Map.of("steward.console-url", "http://127.0.0.1:1", "steward.api-key", "k"));
        ConsoleClient client = new ConsoleClient(config);
        return new StewardConnector(client, new StewardMetadata(client, new ViewCache(config.cacheTtl()), config.serviceUser()));
    }
}
