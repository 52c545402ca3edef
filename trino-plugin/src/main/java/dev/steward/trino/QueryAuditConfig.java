package dev.steward.trino;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

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
    private static final String KIND = "query audit";
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
        StewardConfig.rejectUnknown(properties, KNOWN, KIND);
        URI consoleUrl = StewardConfig.parseUrl(StewardConfig.required(properties, CONSOLE_URL, KIND));
        String apiKey = StewardConfig.required(properties, API_KEY, KIND);
        Duration requestTimeout = StewardConfig.requestTimeout(properties);
        int queueSize = parseQueueSize(properties.get(QUEUE_SIZE));
        return new QueryAuditConfig(consoleUrl, apiKey, requestTimeout, queueSize);
    }

    // The record's generated toString would print the API key.
    @Override
    public String toString()
    {
        return "QueryAuditConfig[consoleUrl=%s, apiKey=***, requestTimeout=%s, queueSize=%d]".formatted(consoleUrl, StewardConfig.format(requestTimeout), queueSize);
    }

    private static int parseQueueSize(String value)
    {
        if (value == null) {
            return DEFAULT_QUEUE_SIZE;
        }
        String digits = value.strip();
        int size = digits.matches("[0-9]{1,9}") ? Integer.parseInt(digits) : 0;
        if (size < 1 || size > MAX_QUEUE_SIZE) {
            throw StewardConfig.invalid("%s must be a number from 1 to %d, got: '%s'".formatted(QUEUE_SIZE, MAX_QUEUE_SIZE, value));
        }
        return size;
    }
}
