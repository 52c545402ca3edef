package dev.steward.trino;

import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTransactionHandle;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.session.PropertyMetadata;
import io.trino.spi.transaction.IsolationLevel;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.trino.spi.session.PropertyMetadata.stringProperty;
import static io.trino.spi.transaction.IsolationLevel.READ_COMMITTED;
import static io.trino.spi.transaction.IsolationLevel.checkConnectorSupports;
import static java.util.Objects.requireNonNull;

public class StewardConnector
        implements Connector
{
    private final ConsoleClient client;
    private final StewardMetadata metadata;
    private final Optional<EpochWatch> watch;
    private final List<PropertyMetadata<?>> sessionProperties = List.of(stringProperty(
            StewardMetadata.PROJECT_PROPERTY,
            "Steward project whose purposes apply to this session (empty: the user's current project)",
            "",
            false));

    public StewardConnector(ConsoleClient client, StewardMetadata metadata)
    {
        this(client, metadata, Optional.empty());
    }

    /**
     * @param watch the catalog's epoch watch, stopped at {@link #shutdown}
     */
    public StewardConnector(ConsoleClient client, StewardMetadata metadata, Optional<EpochWatch> watch)
    {
        this.client = requireNonNull(client, "client is null");
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.watch = requireNonNull(watch, "watch is null");
    }

    @Override
    public ConnectorTransactionHandle beginTransaction(IsolationLevel isolationLevel, boolean readOnly, boolean autoCommit)
    {
        // Each metadata call sees the console's latest state, so nothing stronger than read committed holds.
        checkConnectorSupports(READ_COMMITTED, isolationLevel);
        return StewardTransactionHandle.INSTANCE;
    }

    @Override
    public ConnectorMetadata getMetadata(ConnectorSession session, ConnectorTransactionHandle transactionHandle)
    {
        return metadata;
    }

    // <catalog>.steward_internal.hash_key: the HASH key for compiled views, readable by the service user only
    @Override
    public Set<SystemTable> getSystemTables()
    {
        return Set.of(new HashKeyTable(client));
    }

    @Override
    public List<PropertyMetadata<?>> getSessionProperties()
    {
        return sessionProperties;
    }

    /**
     * The catalog's epoch watch, if it runs one (for tests).
     */
    Optional<EpochWatch> epochWatch()
    {
        return watch;
    }

    @Override
    public void shutdown()
    {
        // The watch first: its thread uses the client.
        watch.ifPresent(EpochWatch::close);
        client.close();
    }
}
