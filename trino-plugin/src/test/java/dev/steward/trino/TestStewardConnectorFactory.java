package dev.steward.trino;

import io.trino.spi.TrinoException;
import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorContext;
import io.trino.spi.connector.SchemaTableName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void hasAnEpochWatchOnlyWithCachingOnStartedByTheFirstQuery()
    {
        StewardConnector watched = create(Map.of());
        StewardConnector unwatched = create(Map.of("steward.epoch-watch", "false"));
        StewardConnector uncached = create(Map.of("steward.cache-ttl", "0s"));
        try {
            assertEquals(Optional.empty(), unwatched.epochWatch());
            assertEquals(Optional.empty(), uncached.epochWatch());
            // Not before a query: a worker never runs metadata, and so never calls the console.
            EpochWatch watch = watched.epochWatch().orElseThrow();
            assertFalse(watch.isRunning());
            TestingSession session = new TestingSession("alice");
            // Nothing listens there: the query's own epoch read fails, closed; the watch is started all the same.
            assertThrows(TrinoException.class, () -> watched.getMetadata(session, StewardTransactionHandle.INSTANCE).listSchemaNames(session));
            assertTrue(watch.isRunning());
        }
        finally {
            watched.shutdown();
            unwatched.shutdown();
            uncached.shutdown();
        }
        assertFalse(watched.epochWatch().orElseThrow().isRunning());
    }

    @Test
    void theCatalogsQueriesUseItsWatch()
            throws Exception
    {
        try (FakeConsole console = FakeConsole.start()) {
            console.answer("/api/trino/v1/users/alice/schemas/hr/views/employees", 200,
                    "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 AS x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]}}");
            StewardConnector connector = (StewardConnector) new StewardConnectorFactory().create("governed", Map.of(
                    "steward.console-url", console.url().toString(),
                    "steward.api-key", FakeConsole.API_KEY), CONTEXT);
            try {
                // The first query reads the epoch itself and starts the watch.
                TestingSession first = new TestingSession("alice");
                assertTrue(connector.getMetadata(first, StewardTransactionHandle.INSTANCE).getView(first, new SchemaTableName("hr", "employees")).isPresent());
                EpochWatch watch = connector.epochWatch().orElseThrow();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (watch.trustedEpoch().isEmpty()) {
                    assertTrue(System.nanoTime() - deadline < 0, "the watch was not trusted within 60s");
                    Thread.sleep(10);
                }
                // That query's read and the watch's own first read.
                assertEquals(2, console.epochReads());
                for (int i = 0; i < 10; i++) {
                    TestingSession session = new TestingSession("alice");
                    assertTrue(connector.getMetadata(session, StewardTransactionHandle.INSTANCE).getView(session, new SchemaTableName("hr", "employees")).isPresent());
                }
                // No per-query read since; one view call in all.
                assertEquals(2, console.epochReads());
                assertEquals(1, console.count("/api/trino/v1/users/alice/schemas/hr/views/employees"));
                assertTrue(console.requests().stream().allMatch(request -> ("Bearer " + FakeConsole.API_KEY).equals(request.authorization())));
            }
            finally {
                connector.shutdown();
            }
            assertFalse(connector.epochWatch().orElseThrow().isRunning());
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
                + "steward.epoch-watch, steward.epoch-watch-wait, steward.max-response-size, steward.request-timeout, steward.service-user)", e.getMessage());

        e = assertThrows(TrinoException.class, () -> new StewardConnectorFactory().create("governed", Map.of("steward.api-key", "stw_x"), CONTEXT));
        assertEquals("Steward: catalog property steward.console-url is required", e.getMessage());
    }

    private static StewardConnector create(Map<String, String> extra)
    {
        Map<String, String> properties = new HashMap<>(Map.of(
                "steward.console-url", "http://127.0.0.1:1",
                "steward.api-key", "stw_x"));
        properties.putAll(extra);
        return (StewardConnector) new StewardConnectorFactory().create("governed", properties, CONTEXT);
    }
}
