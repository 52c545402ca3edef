package dev.steward.trino;

import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorContext;
import io.trino.spi.connector.ConnectorFactory;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

public class StewardConnectorFactory
        implements ConnectorFactory
{
    public static final String NAME = "steward";

    private final QueryAudit audit;

    public StewardConnectorFactory()
    {
        this(new QueryAudit());
    }

    /**
     * @param audit shared with the plugin's query audit listener: each catalog records its decisions there
     */
    public StewardConnectorFactory(QueryAudit audit)
    {
        this.audit = requireNonNull(audit, "audit is null");
    }

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public Connector create(String catalogName, Map<String, String> config, ConnectorContext context)
    {
        requireNonNull(catalogName, "catalogName is null");
        requireNonNull(config, "config is null");
        StewardConfig stewardConfig = StewardConfig.fromProperties(config);
        ConsoleClient client = new ConsoleClient(stewardConfig);
        ViewCache cache = new ViewCache(stewardConfig.cacheTtl());
        // With caching off every call asks the console: there is nothing for a watch to invalidate. The catalog's
        // first query starts it: a worker (which runs no metadata) never calls the console.
        Optional<EpochWatch> watch = stewardConfig.epochWatchEnabled()
                ? Optional.of(new EpochWatch(catalogName, client, cache, stewardConfig.epochWatchWait(), stewardConfig.requestTimeout()))
                : Optional.empty();
        return new StewardConnector(client, new StewardMetadata(client, cache, stewardConfig.serviceUser(), catalogName, audit, watch), watch);
    }
}
