package dev.steward.trino;

import io.trino.spi.ErrorCode;
import io.trino.spi.eventlistener.QueryCompletedEvent;
import io.trino.spi.eventlistener.QueryContext;
import io.trino.spi.eventlistener.QueryFailureInfo;
import io.trino.spi.eventlistener.QueryIOMetadata;
import io.trino.spi.eventlistener.QueryMetadata;
import io.trino.spi.eventlistener.QueryStatistics;
import io.trino.spi.eventlistener.TableInfo;
import io.trino.spi.session.ResourceEstimates;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Real SPI 476 events, as Trino hands them to an event listener, with only what the query audit reads filled in.
 */
final class TestingEvents
{
    static final Instant CREATED = Instant.parse("2026-12-03T10:11:12Z");
    static final Instant ENDED = Instant.parse("2026-12-03T10:11:13.250Z");

    private TestingEvents() {}

    record Query(String queryId, String user, Optional<String> principal, String sql, List<TableInfo> tables, Optional<QueryFailureInfo> failure) {}

    static Query query(String queryId, String user, String sql)
    {
        return new Query(queryId, user, Optional.of(user), sql, List.of(), Optional.empty());
    }

    static TableInfo table(String catalog, String schema, String table)
    {
        return new TableInfo(catalog, schema, table, "steward", List.of(), List.of(), true, Optional.empty(), List.of());
    }

    static QueryFailureInfo failure(ErrorCode code, String message)
    {
        return new QueryFailureInfo(code, Optional.of("io.trino.spi.TrinoException"), Optional.of(message), Optional.empty(), Optional.empty(), "[]");
    }

    static QueryCompletedEvent completed(Query query)
    {
        QueryMetadata metadata = new QueryMetadata(
                query.queryId(), Optional.empty(), Optional.empty(), query.sql(), Optional.empty(), Optional.empty(),
                query.failure().isPresent() ? "FAILED" : "FINISHED", query.tables(), List.of(), URI.create("http://127.0.0.1:8080/v1/query/" + query.queryId()),
                Optional.empty(), Optional.empty(), Optional.empty());
        QueryContext context = new QueryContext(
                query.user(), query.user(), Set.of(), query.principal(), Set.of(), Set.of(), Optional.empty(), Optional.of("127.0.0.1"), Optional.empty(), Optional.empty(),
                Set.of(), Set.of(), Optional.of("steward-e2e"), "UTC", Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                new ResourceEstimates(Optional.empty(), Optional.empty(), Optional.empty()), "127.0.0.1", "476", "steward", Optional.empty(), "NONE");
        return new QueryCompletedEvent(metadata, statistics(), context, new QueryIOMetadata(List.of(), Optional.empty()), query.failure(), List.of(), CREATED, CREATED, ENDED);
    }

    private static QueryStatistics statistics()
    {
        Duration zero = Duration.ZERO;
        Optional<Duration> none = Optional.empty();
        return new QueryStatistics(
                zero, zero, zero, zero,
                none, none, none, none, none, none, none, none, none, none, none, none, none,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0,
                List.of(), 0, true, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty());
    }
}
