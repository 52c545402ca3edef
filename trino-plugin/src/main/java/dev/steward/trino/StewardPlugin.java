package dev.steward.trino;

import io.trino.spi.Plugin;
import io.trino.spi.connector.ConnectorFactory;
import io.trino.spi.eventlistener.EventListenerFactory;

import java.util.List;

/**
 * The steward connector and the query audit's event listener. Trino makes one instance of a plugin: its
 * catalogs record each query's decisions in {@link #audit}, which the listener reads when the query completes.
 */
public class StewardPlugin
        implements Plugin
{
    private final QueryAudit audit = new QueryAudit();

    @Override
    public Iterable<ConnectorFactory> getConnectorFactories()
    {
        return List.of(new StewardConnectorFactory(audit));
    }

    @Override
    public Iterable<EventListenerFactory> getEventListenerFactories()
    {
        return List.of(new QueryAuditListenerFactory(audit));
    }
}
