package dev.steward.trino;

import io.trino.spi.connector.Connector;
import io.trino.spi.connector.ConnectorContext;
import io.trino.spi.connector.ConnectorFactory;

import java.util.Map;

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
        return new StewardConnector(client, new StewardMetadata(client, new ViewCache(stewardConfig.cacheTtl()), stewardConfig.serviceUser(), catalogName, audit));
    }
}
