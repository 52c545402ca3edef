package dev.steward.trino;

import io.trino.spi.TrinoException;
import io.trino.spi.connector.RecordCursor;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.TupleDomain;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_BAD_ANSWER;
import static io.trino.spi.type.VarcharType.VARCHAR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestHashKeyTable
{
    @Test
    void servesTheConsolesKeyAsOneRow()
            throws Exception
    {
        try (FakeConsole console = FakeConsole.start()) {
            console.answer("/api/trino/v1/hash-key", 200, "{\"epoch\": 1, \"hashKey\": \"k'\\\"ey\"}");
            ConsoleClient client = new ConsoleClient(console.config("2s", "60s"));
            StewardConnector connector = new StewardConnector(client, new StewardMetadata(client, new ViewCache(java.time.Duration.ofSeconds(60)), "steward"));
            try {
                Set<SystemTable> tables = connector.getSystemTables();
                assertEquals(1, tables.size());
                SystemTable table = tables.iterator().next();
                assertEquals(HashKeyTable.NAME, table.getTableMetadata().getTable());
                assertEquals(VARCHAR, table.getTableMetadata().getColumns().getFirst().getType());
                RecordCursor cursor = table.cursor(StewardTransactionHandle.INSTANCE, new TestingSession("steward"), TupleDomain.all());
                assertTrue(cursor.advanceNextPosition());
                assertEquals("k'\"ey", cursor.getSlice(0).toStringUtf8());
                assertFalse(cursor.advanceNextPosition());
                assertEquals(1, console.count("/api/trino/v1/hash-key"));
                // the schema is the system table's, never a view the console is asked about
                assertTrue(connector.getMetadata(new TestingSession("steward"), StewardTransactionHandle.INSTANCE)
                        .getView(new TestingSession("steward"), HashKeyTable.NAME).isEmpty());
                assertEquals(0, console.count("/api/trino/v1/users/steward/schemas/steward_internal/views/hash_key"));
            }
            finally {
                connector.shutdown();
            }
        }
    }

    @Test
    void failsClosedWithoutAKey()
            throws Exception
    {
        try (FakeConsole console = FakeConsole.start()) {
            console.answer("/api/trino/v1/hash-key", 200, "{\"epoch\": 1}");
            ConsoleClient client = new ConsoleClient(console.config("2s", "60s"));
            try {
                TrinoException e = assertThrows(TrinoException.class, client::hashKey);
                assertEquals(STEWARD_CONSOLE_BAD_ANSWER.toErrorCode(), e.getErrorCode());
            }
            finally {
                client.close();
            }
        }
    }
}
