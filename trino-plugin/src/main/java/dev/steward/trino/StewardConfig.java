package dev.steward.trino;

import io.trino.spi.TrinoException;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.trino.spi.StandardErrorCode.CONFIGURATION_INVALID;
import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * Catalog properties of a {@code steward} catalog, parsed by hand: the plugin carries no airlift bootstrap.
 * <ul>
 * <li>{@code steward.console-url}, {@code steward.api-key}: required.</li>
 * <li>{@code steward.request-timeout} (default 5s): bound on each exchange with the console, body included.</li>
 * <li>{@code steward.cache-ttl} (default 60s, 0 turns caching off): how long an answer is kept.</li>
 * <li>{@code steward.service-user} (default {@code steward}): owner of views whose answer names none.</li>
 * <li>{@code steward.max-response-size} (default 32MB): cap on each answer's body.</li>
 * <li>{@code steward.epoch-watch} (default true): whether an {@link EpochWatch} long-polls the console's epoch so
 * that queries served from the cache make no call to the console; never started with caching off.</li>
 * <li>{@code steward.epoch-watch-wait} (default 20s, from 1s to 30s): how long the console may hold each of the
 * watch's requests (the console caps it at 30s).</li>
 * </ul>
 */
public record StewardConfig(
        URI consoleUrl,
        String apiKey,
        Duration requestTimeout,
        Duration cacheTtl,
        String serviceUser,
        long maxResponseSize,
        boolean epochWatch,
        Duration epochWatchWait)
{
    public static final String CONSOLE_URL = "steward.console-url";
    public static final String API_KEY = "steward.api-key";
    public static final String REQUEST_TIMEOUT = "steward.request-timeout";
    public static final String CACHE_TTL = "steward.cache-ttl";
    public static final String SERVICE_USER = "steward.service-user";
    public static final String MAX_RESPONSE_SIZE = "steward.max-response-size";
    public static final String EPOCH_WATCH = "steward.epoch-watch";
    public static final String EPOCH_WATCH_WAIT = "steward.epoch-watch-wait";

    private static final Set<String> KNOWN = Set.of(CONSOLE_URL, API_KEY, REQUEST_TIMEOUT, CACHE_TTL, SERVICE_USER, MAX_RESPONSE_SIZE, EPOCH_WATCH, EPOCH_WATCH_WAIT);
    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    static final Duration DEFAULT_EPOCH_WATCH_WAIT = Duration.ofSeconds(20);
    static final Duration MIN_EPOCH_WATCH_WAIT = Duration.ofSeconds(1);
    // The console holds a watch request at most this long.
    static final Duration MAX_EPOCH_WATCH_WAIT = Duration.ofSeconds(30);
    private static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(60);
    private static final String DEFAULT_SERVICE_USER = "steward";
    private static final Duration MAX_DURATION = Duration.ofDays(1);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final long KB = 1024;
    private static final long MB = 1024 * KB;
    private static final long GB = 1024 * MB;
    // The bulk answer holds every view a user sees with its definition, about 1.5 kB each: 5,000 views take ~8MB.
    private static final long DEFAULT_MAX_RESPONSE_SIZE = 32 * MB;
    // Answers are held in memory (a byte array) until parsed.
    private static final long MAX_DATA_SIZE = GB;
    // Units and their 1024-based factors as in airlift's DataSize (case-sensitive, like Trino's own properties).
    private static final Pattern DATA_SIZE = Pattern.compile("(\\d+)\\s*(B|kB|MB|GB)");

    public StewardConfig
    {
        requireNonNull(consoleUrl, "consoleUrl is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        requireNonNull(cacheTtl, "cacheTtl is null");
        requireNonNull(serviceUser, "serviceUser is null");
        if (maxResponseSize <= 0) {
            throw new IllegalArgumentException("maxResponseSize must be positive");
        }
        requireNonNull(epochWatchWait, "epochWatchWait is null");
        if (epochWatchWait.compareTo(MIN_EPOCH_WATCH_WAIT) < 0 || epochWatchWait.compareTo(MAX_EPOCH_WATCH_WAIT) > 0) {
            throw new IllegalArgumentException("epochWatchWait out of range: " + epochWatchWait);
        }
    }

    public static StewardConfig fromProperties(Map<String, String> properties)
    {
        requireNonNull(properties, "properties is null");
        rejectUnknown(properties, KNOWN, "catalog");

        URI consoleUrl = parseUrl(required(properties, CONSOLE_URL, "catalog"));
        String apiKey = required(properties, API_KEY, "catalog");
        Duration requestTimeout = requestTimeout(properties);
        Duration cacheTtl = parseDuration(CACHE_TTL, properties.get(CACHE_TTL), DEFAULT_CACHE_TTL);
        String serviceUser = properties.containsKey(SERVICE_USER) ? required(properties, SERVICE_USER, "catalog") : DEFAULT_SERVICE_USER;
        long maxResponseSize = parseDataSize(MAX_RESPONSE_SIZE, properties.get(MAX_RESPONSE_SIZE), DEFAULT_MAX_RESPONSE_SIZE);
        if (maxResponseSize == 0) {
            throw invalid(MAX_RESPONSE_SIZE + " must be greater than 0");
        }
        boolean epochWatch = parseBoolean(EPOCH_WATCH, properties.get(EPOCH_WATCH), true);
        Duration epochWatchWait = parseDuration(EPOCH_WATCH_WAIT, properties.get(EPOCH_WATCH_WAIT), DEFAULT_EPOCH_WATCH_WAIT);
        if (epochWatchWait.compareTo(MIN_EPOCH_WATCH_WAIT) < 0 || epochWatchWait.compareTo(MAX_EPOCH_WATCH_WAIT) > 0) {
            throw invalid("%s must be from %s to %s, got: '%s'".formatted(EPOCH_WATCH_WAIT, format(MIN_EPOCH_WATCH_WAIT), format(MAX_EPOCH_WATCH_WAIT), properties.get(EPOCH_WATCH_WAIT)));
        }
        return new StewardConfig(consoleUrl, apiKey, requestTimeout, cacheTtl, serviceUser, maxResponseSize, epochWatch, epochWatchWait);
    }

    /**
     * Formats a duration the way it is usually written in catalog files, for error messages.
     */
    public static String format(Duration duration)
    {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /**
     * Formats a byte count the way airlift's DataSize writes it when exact (4MB, 64kB, 1000B), for messages.
     */
    public static String formatSize(long bytes)
    {
        if (bytes > 0 && bytes % GB == 0) {
            return bytes / GB + "GB";
        }
        if (bytes > 0 && bytes % MB == 0) {
            return bytes / MB + "MB";
        }
        if (bytes > 0 && bytes % KB == 0) {
            return bytes / KB + "kB";
        }
        return bytes + "B";
    }

    public boolean cacheEnabled()
    {
        return !cacheTtl.isZero();
    }

    /**
     * Whether the catalog runs an {@link EpochWatch}: asked for, and caching on (with nothing cached there is
     * nothing to invalidate).
     */
    public boolean epochWatchEnabled()
    {
        return epochWatch && cacheEnabled();
    }

    // The record's generated toString would print the API key.
    @Override
    public String toString()
    {
        return "StewardConfig[consoleUrl=%s, apiKey=***, requestTimeout=%s, cacheTtl=%s, serviceUser=%s, maxResponseSize=%s, epochWatch=%s, epochWatchWait=%s]".formatted(
                consoleUrl, format(requestTimeout), format(cacheTtl), serviceUser, formatSize(maxResponseSize), epochWatch, format(epochWatchWait));
    }

    /**
     * Like Trino's own bootstrap, rejects unknown properties so a typo cannot silently fall back to a default.
     *
     * @param kind what the properties are, for the message ("catalog", "query audit")
     */
    static void rejectUnknown(Map<String, String> properties, Set<String> known, String kind)
    {
        Set<String> unknown = new TreeSet<>(properties.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw invalid("unknown %s propert%s %s (known: %s)".formatted(
                    kind, unknown.size() == 1 ? "y" : "ies", String.join(", ", unknown), String.join(", ", new TreeSet<>(known))));
        }
    }

    /**
     * The stripped value of a property that must be present and not blank.
     *
     * @param kind what the properties are, for the message ("catalog", "query audit")
     */
    static String required(Map<String, String> properties, String name, String kind)
    {
        String value = properties.get(name);
        if (value == null || value.isBlank()) {
            throw invalid(kind + " property " + name + " is required");
        }
        return value.strip();
    }

    /**
     * {@link #REQUEST_TIMEOUT}, {@link #DEFAULT_REQUEST_TIMEOUT} when absent; never zero.
     */
    static Duration requestTimeout(Map<String, String> properties)
    {
        Duration requestTimeout = parseDuration(REQUEST_TIMEOUT, properties.get(REQUEST_TIMEOUT), DEFAULT_REQUEST_TIMEOUT);
        if (requestTimeout.isZero()) {
            throw invalid(REQUEST_TIMEOUT + " must be greater than 0");
        }
        return requestTimeout;
    }

    static URI parseUrl(String value)
    {
        URI uri;
        try {
            uri = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
        }
        catch (URISyntaxException e) {
            throw invalid(CONSOLE_URL + " is not a valid URL: " + value);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw invalid(CONSOLE_URL + " must be an http:// or https:// URL with a host, got: " + value);
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw invalid(CONSOLE_URL + " must not have a query or fragment: " + value);
        }
        return uri;
    }

    static Duration parseDuration(String name, String value, Duration defaultValue)
    {
        if (value == null) {
            return defaultValue;
        }
        Matcher matcher = DURATION.matcher(value.strip());
        if (!matcher.matches()) {
            throw invalid("%s must be a duration like 500ms, 5s or 1m, got: '%s'".formatted(name, value));
        }
        long amount = matcher.group(1).length() > 9 ? Long.MAX_VALUE : Long.parseLong(matcher.group(1));
        Duration duration = switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(Math.min(amount, MAX_DURATION.toSeconds() + 1));
            case "m" -> Duration.ofMinutes(Math.min(amount, MAX_DURATION.toMinutes() + 1));
            case "h" -> Duration.ofHours(Math.min(amount, MAX_DURATION.toHours() + 1));
            case "d" -> Duration.ofDays(Math.min(amount, MAX_DURATION.toDays() + 1));
            default -> throw new IllegalStateException("unreachable unit " + matcher.group(2));
        };
        if (duration.compareTo(MAX_DURATION) > 0) {
            throw invalid("%s must be at most 1d, got: '%s'".formatted(name, value));
        }
        return duration;
    }

    /**
     * {@code true} or {@code false}, in any case; {@code defaultValue} when absent.
     */
    static boolean parseBoolean(String name, String value, boolean defaultValue)
    {
        if (value == null) {
            return defaultValue;
        }
        return switch (value.strip().toLowerCase(ENGLISH)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("%s must be true or false, got: '%s'".formatted(name, value));
        };
    }

    static long parseDataSize(String name, String value, long defaultValue)
    {
        if (value == null) {
            return defaultValue;
        }
        Matcher matcher = DATA_SIZE.matcher(value.strip());
        if (!matcher.matches()) {
            throw invalid("%s must be a data size like 512kB, 4MB or 1GB, got: '%s'".formatted(name, value));
        }
        long factor = switch (matcher.group(2)) {
            case "B" -> 1;
            case "kB" -> KB;
            case "MB" -> MB;
            case "GB" -> GB;
            default -> throw new IllegalStateException("unreachable unit " + matcher.group(2));
        };
        long amount = matcher.group(1).length() > 10 ? Long.MAX_VALUE : Long.parseLong(matcher.group(1));
        if (amount > MAX_DATA_SIZE / factor) {
            throw invalid("%s must be at most %s, got: '%s'".formatted(name, formatSize(MAX_DATA_SIZE), value));
        }
        return amount * factor;
    }

    static TrinoException invalid(String message)
    {
        return new TrinoException(CONFIGURATION_INVALID, "Steward: " + message);
    }
}
