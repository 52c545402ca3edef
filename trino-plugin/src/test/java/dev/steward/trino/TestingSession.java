package dev.steward.trino;

import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.security.ConnectorIdentity;
import io.trino.spi.type.TimeZoneKey;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The smallest ConnectorSession the connector needs: a user and its connector session properties. Each instance
 * stands for one Trino query: it has a query id of its own.
 */
final class TestingSession
        implements ConnectorSession
{
    private static final AtomicLong QUERIES = new AtomicLong();

    private final String user;
    private final Map<String, Object> properties;
    private final String queryId = "test_query_" + QUERIES.incrementAndGet();

    TestingSession(String user)
    {
        this(user, Map.of());
    }

    TestingSession(String user, Map<String, Object> properties)
    {
        this.user = requireNonNull(user, "user is null");
        this.properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    @Override
    public String getQueryId()
    {
        return queryId;
    }

    @Override
    public Optional<String> getSource()
    {
        return Optional.of("test");
    }

    @Override
    public ConnectorIdentity getIdentity()
    {
        return ConnectorIdentity.ofUser(user);
    }

    @Override
    public TimeZoneKey getTimeZoneKey()
    {
        return TimeZoneKey.UTC_KEY;
    }

    @Override
    public Locale getLocale()
    {
        return Locale.ENGLISH;
    }

    @Override
    public Optional<String> getTraceToken()
    {
        return Optional.empty();
    }

    @Override
    public Instant getStart()
    {
        return Instant.EPOCH;
    }

    @Override
    public <T> T getProperty(String name, Class<T> type)
    {
        if (!name.equals(StewardMetadata.PROJECT_PROPERTY)) {
            throw new IllegalArgumentException("unknown session property " + name);
        }
        return type.cast(properties.getOrDefault(name, ""));
    }
}
