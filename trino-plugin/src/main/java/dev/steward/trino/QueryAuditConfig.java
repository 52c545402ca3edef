package dev.steward.trino;

import io.trino.spi.TrinoException;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;
import static java.util.Objects.requireNonNull;

/**
 * Properties of the query audit's event listener (an {@code event-listener.config-files} file with
 * {@code event-listener.name=steward-query-audit}), parsed by hand like the catalog's.
 */
public record QueryAuditConfig(URI consoleUrl, String apiKey, Duration requestTimeout, int queueSize)
{
    public static final String CONSOLE_URL = StewardConfig.CONSOLE_URL;
    public static final String API_KEY = StewardConfig.API_KEY;
    public static final String REQUEST_TIMEOUT = StewardConfig.REQUEST_TIMEOUT;
    public static final String QUEUE_SIZE = "steward.queue-size";

    private static final Set<String> KNOWN = Set.of(CONSOLE_URL, API_KEY, REQUEST_TIMEOUT, QUEUE_SIZE);
    private static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final int DEFAULT_QUEUE_SIZE = 1_000;
    private static final int MAX_QUEUE_SIZE = 100_000;

    public QueryAuditConfig
    {
        requireNonNull(consoleUrl, "consoleUrl is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (queueSize <= 0) {
            throw new IllegalArgumentException("queueSize must be positive");
        }
    }

    public static QueryAuditConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        Set<String> unknown = new TreeSet<>(properties.keySet());
        unknown.removeAll(KNOWN);
        if (!unknown.isEmpty()) {
            throw invalid("unknown query audit propert%s %s (known: %s)".formatted(
                    unknown.size() == 1 ? "y" : "ies", String.join(", ", unknown), String.join(", ", new TreeSet<>(KNOWN))));
        }
        URI consoleUrl = StewardConfig.parseUrl(required(properties, CONSOLE_URL));
        String apiKey = required(properties, API_KEY);
        Duration requestTimeout = StewardConfig.parseDuration(REQUEST_TIMEOUT, properties.get(REQUEST_TIMEOUT), DEFAULT_REQUEST_TIMEOUT);
        if (requestTimeout.isZero()) {
            throw invalid(REQUEST_TIMEOUT + " must be greater than 0");
        }
        int queueSize = DEFAULT_QUEUE_SIZE;
        String size = properties.get(QUEUE_SIZE);
        if (size != null) {
            if (!size.strip().matches("[0-9]{1,9}") || Integer.parseInt(size.strip()) < 1 || Integer.parseInt(size.strip()) > MAX_QUEUE_SIZE) {
                throw invalid("%s must be a number from 1 to %d, got: '%s'".formatted(QUEUE_SIZE, MAX_QUEUE_SIZE, size));
            }
            queueSize = Integer.parseInt(size.strip());
        }
        return new QueryAuditConfig(consoleUrl, apiKey, requestTimeout, queueSize);
    }

    // The record's generated toString would print the API key.
    @Override
    public String toString()
    {
        return "QueryAuditConfig[consoleUrl=%s, apiKey=***, requestTimeout=%s, queueSize=%d]".formatted(consoleUrl, StewardConfig.format(requestTimeout), queueSize);
    }

    private static String required(Map<String, String> properties, String name)
    {
        String value = properties.get(name);
        if (value == null || value.isBlank()) {
            throw invalid("query audit property " + name + " is required");
        }
        return value.strip();
    }

    private static TrinoException invalid(String message)
    {
        return new TrinoException(CONFIGURATION_INVALID, "Steward: " + message);
    }
}
