package dev.steward.trino;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Properties of the query audit's event listener (an {@code event-listener.config-files} file with
 * {@code event-listener.name=steward-query-audit}), parsed by hand like the catalog's.
 * <ul>
 * <li>{@code steward.console-url}, {@code steward.api-key}: required.</li>
 * <li>{@code steward.request-timeout} (default 5s): bound on each POST, answer included.</li>
 * <li>{@code steward.queue-size} (default 1000, from 1 to 100000): records waiting for the console.</li>
 * <li>{@code steward.batch-size} (default 100, from 1 to 1000): records per POST at most.</li>
 * <li>{@code steward.batch-linger} (default 250ms, from 0 to 10s): how long the sender waits for more records
 * after the first of a batch (0: it sends what is queued at once).</li>
 * </ul>
 */
public record QueryAuditConfig(URI consoleUrl, String apiKey, Duration requestTimeout, int queueSize, int batchSize, Duration batchLinger)
{
    public static final String CONSOLE_URL = StewardConfig.CONSOLE_URL;
    public static final String API_KEY = StewardConfig.API_KEY;
    public static final String REQUEST_TIMEOUT = StewardConfig.REQUEST_TIMEOUT;
    public static final String QUEUE_SIZE = "steward.queue-size";
    public static final String BATCH_SIZE = "steward.batch-size";
    public static final String BATCH_LINGER = "steward.batch-linger";

    private static final Set<String> KNOWN = Set.of(CONSOLE_URL, API_KEY, REQUEST_TIMEOUT, QUEUE_SIZE, BATCH_SIZE, BATCH_LINGER);
    private static final String KIND = "query audit";
    private static final int DEFAULT_QUEUE_SIZE = 1_000;
    private static final int MAX_QUEUE_SIZE = 100_000;
    static final int DEFAULT_BATCH_SIZE = 100;
    static final int MAX_BATCH_SIZE = 1_000;
    static final Duration DEFAULT_BATCH_LINGER = Duration.ofMillis(250);
    static final Duration MAX_BATCH_LINGER = Duration.ofSeconds(10);

    public QueryAuditConfig
    {
        requireNonNull(consoleUrl, "consoleUrl is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(batchLinger, "batchLinger is null");
        if (queueSize <= 0) {
            throw new IllegalArgumentException("queueSize must be positive");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batchSize out of range: " + batchSize);
        }
        if (batchLinger.isNegative() || batchLinger.compareTo(MAX_BATCH_LINGER) > 0) {
            throw new IllegalArgumentException("batchLinger out of range: " + batchLinger);
        }
    }

    public static QueryAuditConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        StewardConfig.rejectUnknown(properties, KNOWN, KIND);
        URI consoleUrl = StewardConfig.parseUrl(StewardConfig.required(properties, CONSOLE_URL, KIND));
        String apiKey = StewardConfig.required(properties, API_KEY, KIND);
        Duration requestTimeout = StewardConfig.requestTimeout(properties);
        int queueSize = parseCount(QUEUE_SIZE, properties.get(QUEUE_SIZE), DEFAULT_QUEUE_SIZE, MAX_QUEUE_SIZE);
        int batchSize = parseCount(BATCH_SIZE, properties.get(BATCH_SIZE), DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE);
        Duration batchLinger = StewardConfig.parseDuration(BATCH_LINGER, properties.get(BATCH_LINGER), DEFAULT_BATCH_LINGER);
        if (batchLinger.compareTo(MAX_BATCH_LINGER) > 0) {
            throw StewardConfig.invalid("%s must be at most %s, got: '%s'".formatted(BATCH_LINGER, StewardConfig.format(MAX_BATCH_LINGER), properties.get(BATCH_LINGER)));
        }
        return new QueryAuditConfig(consoleUrl, apiKey, requestTimeout, queueSize, batchSize, batchLinger);
    }

    // The record's generated toString would print the API key.
    @Override
    public String toString()
    {
        return "QueryAuditConfig[consoleUrl=%s, apiKey=***, requestTimeout=%s, queueSize=%d, batchSize=%d, batchLinger=%s]".formatted(
                consoleUrl, StewardConfig.format(requestTimeout), queueSize, batchSize, StewardConfig.format(batchLinger));
    }

    private static int parseCount(String name, String value, int defaultValue, int max)
    {
        if (value == null) {
            return defaultValue;
        }
        String digits = value.strip();
        int count = digits.matches("[0-9]{1,9}") ? Integer.parseInt(digits) : 0;
        if (count < 1 || count > max) {
            throw StewardConfig.invalid("%s must be a number from 1 to %d, got: '%s'".formatted(name, max, value));
        }
        return count;
    }
}
