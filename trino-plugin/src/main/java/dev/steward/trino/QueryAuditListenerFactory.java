package dev.steward.trino;

import io.trino.spi.eventlistener.EventListener;
import io.trino.spi.eventlistener.EventListenerFactory;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * {@code event-listener.name=steward-query-audit}: the query audit (docs/architecture.md, "Query audit"). Configure
 * it on the coordinator only (workers run no metadata, so they have nothing to report).
 */
public class QueryAuditListenerFactory
        implements EventListenerFactory
{
    public static final String NAME = "steward-query-audit";

    private final QueryAudit audit;

    public QueryAuditListenerFactory(QueryAudit audit)
    {
        this.audit = requireNonNull(audit, "audit is null");
    }

    @Override
    public String getName()
    {
        return NAME;
    }

    @Override
    public EventListener create(Map<String, String> config, EventListenerContext context)
    {
        QueryAuditConfig auditConfig = QueryAuditConfig.fromProperties(config);
        QueryAuditListener listener = new QueryAuditListener(audit, new QueryEventSender(auditConfig), auditConfig.apiKey());
        audit.enable();
        return listener;
    }
}
