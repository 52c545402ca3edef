package dev.steward.trino;

import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.InMemoryRecordSet;
import io.trino.spi.connector.RecordCursor;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.predicate.TupleDomain;

import java.util.List;

import static io.trino.spi.type.VarcharType.VARCHAR;
import static java.util.Objects.requireNonNull;

/**
 * {@code <catalog>.steward_internal.hash_key}: one row, one varchar column {@code key}, the installation's HASH
 * key, read from the console at every scan (never cached, never in any view's SQL). Compiled views read it with a
 * scalar subquery; they run as the service user, which is the only user the access rules let read this schema
 * (scripts/trino/access-rules.json). A value in a table, unlike a literal, does not show in
 * {@code information_schema.views} or in EXPLAIN.
 */
public class HashKeyTable
        implements SystemTable
{
    public static final String SCHEMA = "steward_internal";
    public static final String TABLE = "hash_key";
    public static final SchemaTableName NAME = new SchemaTableName(SCHEMA, TABLE);

    private static final ConnectorTableMetadata METADATA = new ConnectorTableMetadata(NAME, List.of(new ColumnMetadata("key", VARCHAR)));

    private final ConsoleClient client;

    public HashKeyTable(ConsoleClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public Distribution getDistribution()
    {
        return Distribution.SINGLE_COORDINATOR;
    }

    @Override
    public ConnectorTableMetadata getTableMetadata()
    {
        return METADATA;
    }

    @Override
    public RecordCursor cursor(ConnectorTransactionHandle transactionHandle, ConnectorSession session, TupleDomain<Integer> constraint)
    {
        return new InMemoryRecordSet(List.of(VARCHAR), List.of(List.of(client.hashKey()))).cursor();
    }
}
