package dev.steward.trino;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.steward.trino.ConsoleHttp.ResponseTooLargeException;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.TrinoException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import static dev.steward.trino.ConsoleHttp.describe;
import static dev.steward.trino.ConsoleHttp.findCause;
import static dev.steward.trino.ConsoleHttp.hasCause;
import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_BAD_ANSWER;
import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_REJECTED_KEY;
import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_UNAVAILABLE;
import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * Client of the console's view API (docs/architecture.md, "View API"). User, schema and view names are passed
 * as given (callers lower-case them). Every failure is a {@link TrinoException} whose message starts with
 * {@code Steward:}; nothing here falls back to anything (only {@link #allViews} tells its caller that the console
 * has no such endpoint). Each request is counted per {@link Endpoint} and logged at FINE (Trino: DEBUG).
 */
public class ConsoleClient
        implements AutoCloseable
{
    public static final String API_PREFIX = "/api/trino/v1";
    private static final Logger LOG = Logger.getLogger(ConsoleClient.class.getName());
    private static final String UNKNOWN_USER = "UNKNOWN_USER";
    private static final String NO_SUCH_VIEW = "NO_SUCH_VIEW";
    // Not a console code: a 404 that names no code at all, from a console that does not have the route.
    private static final String NO_SUCH_ROUTE = "no such route";
    private static final int MAX_ERROR_DETAIL = 300;

    /**
     * The console's endpoints, for {@link #calls(Endpoint)}.
     */
    public enum Endpoint
    {
        EPOCH, EPOCH_WATCH, HASH_KEY, SCHEMAS, VIEWS, VIEW, ALL_VIEWS
    }

    /**
     * An answer, the epoch it was computed at and the instant until which it holds without any write
     * ({@code validUntil}: a subscription expiring, a time window closing). 404 answers carry no epoch and so must
     * not be cached; an answer without {@code validUntil} has no time limit of its own.
     */
    public record Answer<T>(T value, OptionalLong epoch, Optional<Instant> validUntil, boolean unknownUser)
    {
        public Answer
        {
            requireNonNull(value, "value is null");
            requireNonNull(epoch, "epoch is null");
            requireNonNull(validUntil, "validUntil is null");
        }

        public Answer(T value, OptionalLong epoch, Optional<Instant> validUntil)
        {
            this(value, epoch, validUntil, false);
        }

        public Answer(T value, OptionalLong epoch)
        {
            this(value, epoch, Optional.empty());
        }

        /**
         * A listing for a user the console does not know (404 UNKNOWN_USER): they see nothing; never cached.
         */
        static <T> Answer<T> ofUnknownUser(T empty)
        {
            return new Answer<>(empty, OptionalLong.empty(), Optional.empty(), true);
        }
    }

    /**
     * Reading a view as a user the console does not know (404 UNKNOWN_USER): fails the query.
     */
    public static final class UnknownUserException
            extends TrinoException
    {
        private static final long serialVersionUID = 1L;

        UnknownUserException(String user)
        {
            super(PERMISSION_DENIED, "Steward: user '%s' is not known to Steward".formatted(user));
        }
    }

    /**
     * What the console applied to a view for this user, for the query audit: per masked column the method and the
     * policy that won, the row filters in WHERE order, and the project the view was computed in. Never used for
     * enforcement: the view's SQL is.
     */
    public record Applied(Optional<String> project, Map<String, AppliedMask> columns, List<AppliedRowFilter> rowFilters)
    {
        public Applied
        {
            requireNonNull(project, "project is null");
            columns = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(columns, "columns is null")));
            rowFilters = List.copyOf(requireNonNull(rowFilters, "rowFilters is null"));
        }
    }

    public record AppliedMask(String method, String policyId, String policyName, Optional<String> fallback)
    {
        public AppliedMask
        {
            requireNonNull(method, "method is null");
            requireNonNull(policyId, "policyId is null");
            requireNonNull(policyName, "policyName is null");
            requireNonNull(fallback, "fallback is null");
        }
    }

    public record AppliedRowFilter(String kind, String policyId, String policyName, Optional<String> fallback)
    {
        public AppliedRowFilter
        {
            requireNonNull(kind, "kind is null");
            requireNonNull(policyId, "policyId is null");
            requireNonNull(policyName, "policyName is null");
            requireNonNull(fallback, "fallback is null");
        }
    }

    public record ConsoleColumn(String name, String type)
    {
        public ConsoleColumn
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /**
     * @param applied what the console says it applied (the query audit's record); empty when the answer has no
     * {@code applied}, or one this connector does not understand: it never fails a query
     */
    public record ConsoleView(String sql, List<ConsoleColumn> columns, Optional<String> owner, Optional<String> comment, Optional<Applied> applied)
    {
        public ConsoleView
        {
            requireNonNull(sql, "sql is null");
            columns = List.copyOf(requireNonNull(columns, "columns is null"));
            requireNonNull(owner, "owner is null");
            requireNonNull(comment, "comment is null");
            requireNonNull(applied, "applied is null");
        }

        public ConsoleView(String sql, List<ConsoleColumn> columns, Optional<String> owner, Optional<String> comment)
        {
            this(sql, columns, owner, comment, Optional.empty());
        }
    }

    /**
     * One view of the bulk answer ({@code GET /users/{user}/views}).
     */
    public record NamedView(String schema, String name, ConsoleView view)
    {
        public NamedView
        {
            requireNonNull(schema, "schema is null");
            requireNonNull(name, "name is null");
            requireNonNull(view, "view is null");
        }
    }

    private record Reply(JsonNode body, String notFoundCode) {}

    private final String baseUrl;
    private final String apiKey;
    private final Duration timeout;
    private final long maxResponseSize;
    private final HttpClient httpClient;
    private final ObjectMapper mapper = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private final Map<Endpoint, AtomicLong> calls = new EnumMap<>(Endpoint.class);

    public ConsoleClient(StewardConfig config)
    {
        requireNonNull(config, "config is null");
        this.baseUrl = config.consoleUrl().toString();
        this.apiKey = config.apiKey();
        this.timeout = config.requestTimeout();
        this.maxResponseSize = config.maxResponseSize();
        this.httpClient = ConsoleHttp.newClient(timeout);
        for (Endpoint endpoint : Endpoint.values()) {
            calls.put(endpoint, new AtomicLong());
        }
    }

    /**
     * Requests sent to an endpoint since this client was made, whatever their outcome.
     */
    public long calls(Endpoint endpoint)
    {
        return calls.get(endpoint).get();
    }

    /**
     * Requests sent to any endpoint since this client was made.
     */
    public long calls()
    {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long epoch()
    {
        String what = "the epoch";
        return requireLong(get(Endpoint.EPOCH, "/epoch", Optional.empty(), what, false).body(), "epoch", what);
    }

    /**
     * The epoch watch's long poll ({@code GET /epoch?after=n&waitMs=ms}, counted as {@link Endpoint#EPOCH_WATCH}):
     * the console answers at once when its epoch differs from {@code after}, else holds the request until it moves
     * or {@code wait} passes, then answers its current epoch (which may still be {@code after}). An older console
     * ignores the parameters and answers at once. The exchange may take {@code wait} plus the request timeout.
     */
    public long epochAfter(long after, Duration wait)
    {
        requireNonNull(wait, "wait is null");
        if (wait.isNegative() || wait.isZero()) {
            throw new IllegalArgumentException("wait must be positive");
        }
        String what = "a change of the epoch";
        String query = "after=%d&waitMs=%d".formatted(after, wait.toMillis());
        return requireLong(get(Endpoint.EPOCH_WATCH, "/epoch", query, what, false, wait.plus(timeout)).body(), "epoch", what);
    }

    /**
     * The installation's HASH key (for {@link HashKeyTable}); never part of an error message.
     */
    public String hashKey()
    {
        String what = "the hash key";
        return requireText(get(Endpoint.HASH_KEY, "/hash-key", Optional.empty(), what, false).body(), "hashKey", "hashKey", what);
    }

    /**
     * Schemas the user may see; a user unknown to the console sees none.
     */
    public Answer<List<String>> schemas(String user, Optional<String> project)
    {
        String what = "the schemas of user '%s'%s".formatted(user, inProject(project));
        Reply reply = get(Endpoint.SCHEMAS, "/users/%s/schemas".formatted(segment(user)), project, what, false);
        if (reply.notFoundCode() != null) {
            return UNKNOWN_USER.equals(reply.notFoundCode()) ? Answer.ofUnknownUser(List.of()) : new Answer<>(List.of(), OptionalLong.empty());
        }
        return new Answer<>(requireNames(reply.body(), "schemas", what), OptionalLong.of(requireLong(reply.body(), "epoch", what)), validUntil(reply.body(), what));
    }

    /**
     * Views the user may see in a schema; a user unknown to the console sees none.
     */
    public Answer<List<String>> views(String user, Optional<String> project, String schema)
    {
        String what = "the views of user '%s' in schema '%s'%s".formatted(user, schema, inProject(project));
        Reply reply = get(Endpoint.VIEWS, "/users/%s/schemas/%s/views".formatted(segment(user), segment(schema)), project, what, false);
        if (reply.notFoundCode() != null) {
            return UNKNOWN_USER.equals(reply.notFoundCode()) ? Answer.ofUnknownUser(List.of()) : new Answer<>(List.of(), OptionalLong.empty());
        }
        return new Answer<>(requireNames(reply.body(), "views", what), OptionalLong.of(requireLong(reply.body(), "epoch", what)), validUntil(reply.body(), what));
    }

    /**
     * One view's definition, or empty when the user may not see it.
     *
     * @throws TrinoException also when the user is unknown to the console
     */
    public Answer<Optional<ConsoleView>> view(String user, Optional<String> project, String schema, String view)
    {
        String what = "view '%s.%s' for user '%s'%s".formatted(schema, view, user, inProject(project));
        Reply reply = get(Endpoint.VIEW, "/users/%s/schemas/%s/views/%s".formatted(segment(user), segment(schema), segment(view)), project, what, false);
        if (UNKNOWN_USER.equals(reply.notFoundCode())) {
            throw new UnknownUserException(user);
        }
        if (reply.notFoundCode() != null) {
            return new Answer<>(Optional.empty(), OptionalLong.empty());
        }
        long epoch = requireLong(reply.body(), "epoch", what);
        Optional<Instant> validUntil = validUntil(reply.body(), what);
        JsonNode definition = reply.body().get("view");
        if (definition == null || !definition.isObject()) {
            throw malformed(what, "missing object 'view'");
        }
        return new Answer<>(Optional.of(parseView(definition, "view", what)), OptionalLong.of(epoch), validUntil);
    }

    /**
     * Every view the user may see, with its definition, in one answer ({@code GET /users/{user}/views}); a user
     * unknown to the console sees none. Empty when the console has no such endpoint (an older console: 404 without
     * a {@code code}): the caller then asks per schema and per view.
     *
     * @throws TrinoException when anything in the answer is malformed: never a partial list
     */
    public Optional<Answer<List<NamedView>>> allViews(String user, Optional<String> project)
    {
        String what = "all views of user '%s'%s".formatted(user, inProject(project));
        Reply reply = get(Endpoint.ALL_VIEWS, "/users/%s/views".formatted(segment(user)), project, what, true);
        if (NO_SUCH_ROUTE.equals(reply.notFoundCode())) {
            return Optional.empty();
        }
        if (UNKNOWN_USER.equals(reply.notFoundCode())) {
            return Optional.of(Answer.ofUnknownUser(List.of()));
        }
        if (reply.notFoundCode() != null) {
            throw failure(STEWARD_CONSOLE_BAD_ANSWER, "the console answered 404 (%s) when asked for %s".formatted(reply.notFoundCode(), what), null);
        }
        long epoch = requireLong(reply.body(), "epoch", what);
        Optional<Instant> validUntil = validUntil(reply.body(), what);
        JsonNode array = reply.body().get("views");
        if (array == null || !array.isArray()) {
            throw malformed(what, "missing array 'views'");
        }
        List<NamedView> views = new ArrayList<>(array.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            String field = "views[%d]".formatted(i);
            if (!node.isObject()) {
                throw malformed(what, "'%s' is not an object".formatted(field));
            }
            String schema = requireLowerCaseName(node, "schema", field, what);
            String name = requireLowerCaseName(node, "name", field, what);
            // A JSON string holds no NUL, so this key is unambiguous.
            if (!seen.add(schema + '\0' + name)) {
                throw malformed(what, "'%s' repeats view '%s.%s'".formatted(field, schema, name));
            }
            views.add(new NamedView(schema, name, parseView(node, field, what)));
        }
        return Optional.of(new Answer<>(List.copyOf(views), OptionalLong.of(epoch), validUntil));
    }

    private ConsoleView parseView(JsonNode definition, String prefix, String what)
    {
        JsonNode columnsNode = definition.get("columns");
        if (columnsNode == null || !columnsNode.isArray()) {
            throw malformed(what, "missing array '%s.columns'".formatted(prefix));
        }
        if (columnsNode.isEmpty()) {
            throw malformed(what, "'%s.columns' is empty".formatted(prefix));
        }
        List<ConsoleColumn> columns = new ArrayList<>();
        for (int i = 0; i < columnsNode.size(); i++) {
            JsonNode column = columnsNode.get(i);
            String field = "%s.columns[%d]".formatted(prefix, i);
            if (!column.isObject()) {
                throw malformed(what, "'%s' is not an object".formatted(field));
            }
            columns.add(new ConsoleColumn(requireText(column, "name", field + ".name", what), requireText(column, "type", field + ".type", what)));
        }
        String sql = requireText(definition, "sql", prefix + ".sql", what);
        Optional<String> owner = optionalText(definition, "owner", prefix + ".owner", what);
        if (owner.isPresent() && owner.get().isBlank()) {
            throw malformed(what, "'%s.owner' is blank".formatted(prefix));
        }
        Optional<String> comment = optionalText(definition, "comment", prefix + ".comment", what);
        return new ConsoleView(sql, columns, owner, comment, applied(definition.get("applied"), prefix, what));
    }

    /**
     * The view's {@code applied} (query audit only): absent or null gives empty, and so does anything malformed
     * (logged once per answer), since enforcement never depends on it and an audit detail must not fail a query.
     */
    private static Optional<Applied> applied(JsonNode node, String prefix, String what)
    {
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        try {
            if (!node.isObject()) {
                throw new IllegalArgumentException("not an object");
            }
            JsonNode project = node.get("project");
            if (project != null && !project.isNull() && !project.isTextual()) {
                throw new IllegalArgumentException("'project' is not a string");
            }
            JsonNode columnsNode = node.get("columns");
            if (columnsNode == null || !columnsNode.isObject()) {
                throw new IllegalArgumentException("missing object 'columns'");
            }
            Map<String, AppliedMask> columns = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> column : columnsNode.properties()) {
                JsonNode mask = column.getValue();
                columns.put(column.getKey(), new AppliedMask(auditText(mask, "method"), auditText(mask, "policyId"), auditText(mask, "policyName"), auditOptionalText(mask, "fallback")));
            }
            JsonNode filtersNode = node.get("rowFilters");
            if (filtersNode == null || !filtersNode.isArray()) {
                throw new IllegalArgumentException("missing array 'rowFilters'");
            }
            List<AppliedRowFilter> filters = new ArrayList<>();
            for (JsonNode filter : filtersNode) {
                filters.add(new AppliedRowFilter(auditText(filter, "kind"), auditText(filter, "policyId"), auditText(filter, "policyName"), auditOptionalText(filter, "fallback")));
            }
            return Optional.of(new Applied(project == null || project.isNull() ? Optional.empty() : Optional.of(project.asText()), columns, filters));
        }
        catch (IllegalArgumentException e) {
            LOG.info(() -> "Steward: ignoring '%s.applied' in the console's answer for %s (query audit only): %s".formatted(prefix, what, e.getMessage()));
            return Optional.empty();
        }
    }

    private static String auditText(JsonNode node, String field)
    {
        JsonNode value = node == null || !node.isObject() ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'%s' is not a string".formatted(field));
        }
        return value.asText();
    }

    private static Optional<String> auditOptionalText(JsonNode node, String field)
    {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(auditText(node, field));
    }

    @Override
    public void close()
    {
        httpClient.shutdownNow();
    }

    /**
     * @param routeMayBeMissing whether a 404 without a code means "no such endpoint" (an older console) rather than
     * a failure
     */
    private Reply get(Endpoint endpoint, String path, Optional<String> project, String what, boolean routeMayBeMissing)
    {
        return get(endpoint, path, project.map(name -> "project=" + segment(name)).orElse(""), what, routeMayBeMissing, timeout);
    }

    /**
     * @param query the raw query string without its {@code ?}, empty for none
     * @param exchangeTimeout bound on the whole exchange, body included
     */
    private Reply get(Endpoint endpoint, String path, String query, String what, boolean routeMayBeMissing, Duration exchangeTimeout)
    {
        URI uri = URI.create(baseUrl + API_PREFIX + path + (query.isEmpty() ? "" : "?" + query));
        HttpRequest request = ConsoleHttp.authorizedRequest(uri, apiKey, exchangeTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        long count = calls.get(endpoint).incrementAndGet();
        long start = System.nanoTime();
        HttpResponse<byte[]> response;
        try {
            response = send(request, what, exchangeTimeout);
        }
        catch (TrinoException e) {
            LOG.fine(() -> "GET %s failed after %d ms (%s call #%d)".formatted(uri.getRawPath(), elapsedMillis(start), endpoint, count));
            throw e;
        }
        int status = response.statusCode();
        if (LOG.isLoggable(Level.FINE)) {
            LOG.fine("GET %s -> %d, %d bytes in %d ms (%s call #%d)".formatted(uri.getRawPath(), status, response.body().length, elapsedMillis(start), endpoint, count));
        }
        if (status == 200) {
            return new Reply(parse(response.body(), what), null);
        }
        if (status == 401 || status == 403) {
            throw failure(STEWARD_CONSOLE_REJECTED_KEY, "the console rejected the API key (%d)".formatted(status), null);
        }
        Optional<JsonNode> errorBody = tryParse(new String(response.body(), StandardCharsets.UTF_8));
        if (status == 404) {
            Optional<String> code = errorBody.map(body -> body.get("code")).filter(JsonNode::isTextual).map(JsonNode::asText);
            if (code.isPresent() && (code.get().equals(UNKNOWN_USER) || code.get().equals(NO_SUCH_VIEW))) {
                return new Reply(null, code.get());
            }
            // A console's own 404s always carry a code: one without is the web server not knowing the route. An
            // unexpected code is a failure, never taken for a missing route (that would switch everyone over).
            if (routeMayBeMissing && code.isEmpty()) {
                return new Reply(null, NO_SUCH_ROUTE);
            }
        }
        String detail = errorBody.map(body -> body.get("error"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .map(error -> ": " + ConsoleHttp.abbreviate(error, MAX_ERROR_DETAIL))
                .orElse("");
        throw failure(
                status >= 500 ? STEWARD_CONSOLE_UNAVAILABLE : STEWARD_CONSOLE_BAD_ANSWER,
                "the console answered %d when asked for %s%s".formatted(status, what, detail),
                null);
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what, Duration exchangeTimeout)
    {
        try {
            return ConsoleHttp.send(httpClient, request, exchangeTimeout, maxResponseSize);
        }
        catch (TimeoutException e) {
            throw timedOut(what, exchangeTimeout, e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(STEWARD_CONSOLE_UNAVAILABLE, "interrupted while asking the console for " + what, e);
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timedOut(what, exchangeTimeout, cause);
            }
            Optional<ResponseTooLargeException> tooLarge = findCause(cause, ResponseTooLargeException.class);
            if (tooLarge.isPresent()) {
                throw failure(STEWARD_CONSOLE_BAD_ANSWER, "the console's answer for %s exceeded %s (%s)%s".formatted(
                        what,
                        StewardConfig.MAX_RESPONSE_SIZE,
                        StewardConfig.formatSize(maxResponseSize),
                        tooLarge.get().declaredLength().isPresent() ? ": it announced %d bytes".formatted(tooLarge.get().declaredLength().getAsLong()) : ""),
                        null);
            }
            if (hasCause(cause, ConnectException.class)) {
                throw failure(STEWARD_CONSOLE_UNAVAILABLE, "console at %s is unreachable: %s".formatted(baseUrl, describe(cause)), cause);
            }
            throw failure(STEWARD_CONSOLE_UNAVAILABLE, "asking the console at %s for %s failed: %s".formatted(baseUrl, what, describe(cause)), cause);
        }
    }

    private JsonNode parse(byte[] body, String what)
    {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        }
        catch (IOException e) {
            // JsonProcessingException, also for bytes that are not UTF-8
            throw malformed(what, "not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed(what, "expected a JSON object");
        }
        return root;
    }

    private Optional<JsonNode> tryParse(String body)
    {
        try {
            return Optional.ofNullable(mapper.readTree(body)).filter(JsonNode::isObject);
        }
        catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private long requireLong(JsonNode node, String field, String what)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw malformed(what, "missing field '%s'".formatted(field));
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw malformed(what, "'%s' is not an integer".formatted(field));
        }
        return value.asLong();
    }

    private List<String> requireNames(JsonNode node, String field, String what)
    {
        JsonNode array = node.get(field);
        if (array == null || !array.isArray()) {
            throw malformed(what, "missing array '%s'".formatted(field));
        }
        List<String> names = new ArrayList<>(array.size());
        for (JsonNode name : array) {
            if (!name.isTextual() || name.asText().isBlank()) {
                throw malformed(what, "'%s' holds something that is not a name: %s".formatted(field, abbreviate(name.toString())));
            }
            names.add(name.asText());
        }
        return List.copyOf(names);
    }

    private String requireLowerCaseName(JsonNode node, String field, String prefix, String what)
    {
        String path = prefix + "." + field;
        String name = requireText(node, field, path, what);
        if (!name.equals(name.toLowerCase(ENGLISH))) {
            throw malformed(what, "'%s' is not lower-case: %s".formatted(path, abbreviate(name)));
        }
        return name;
    }

    /**
     * {@code validUntil}: absent or null when the answer has no time limit; anything but an ISO-8601 instant fails,
     * since ignoring it could serve an expired subscription from the cache.
     */
    private Optional<Instant> validUntil(JsonNode node, String what)
    {
        JsonNode value = node.get("validUntil");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw malformed(what, "'validUntil' is not a string");
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        }
        catch (DateTimeParseException e) {
            throw malformed(what, "'validUntil' is not an ISO-8601 instant: %s".formatted(abbreviate(value.asText())));
        }
    }

    private String requireText(JsonNode node, String field, String path, String what)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw malformed(what, "missing field '%s'".formatted(path));
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw malformed(what, "'%s' is not a non-empty string".formatted(path));
        }
        return value.asText();
    }

    private Optional<String> optionalText(JsonNode node, String field, String path, String what)
    {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw malformed(what, "'%s' is not a string".formatted(path));
        }
        return Optional.of(value.asText());
    }

    private TrinoException malformed(String what, String problem)
    {
        return failure(STEWARD_CONSOLE_BAD_ANSWER, "malformed answer from the console for %s: %s".formatted(what, problem), null);
    }

    private TrinoException timedOut(String what, Duration exchangeTimeout, Throwable cause)
    {
        return failure(STEWARD_CONSOLE_UNAVAILABLE, "timed out after %s asking the console for %s".formatted(StewardConfig.format(exchangeTimeout), what), cause);
    }

    private TrinoException failure(ErrorCodeSupplier code, String message, Throwable cause)
    {
        // Belt and braces: nothing the console or the network says may leak the key into a user-visible message.
        String safe = ConsoleHttp.redact("Steward: " + message, apiKey);
        return cause == null ? new TrinoException(code, safe) : new TrinoException(code, safe, cause);
    }

    private static long elapsedMillis(long startNanos)
    {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String inProject(Optional<String> project)
    {
        return project.map(name -> " in project '%s'".formatted(name)).orElse("");
    }

    private static String abbreviate(String text)
    {
        return ConsoleHttp.abbreviate(text, 60);
    }

    /**
     * Percent-encodes one path segment (or query value): everything but RFC 3986 unreserved characters.
     */
    static String segment(String value)
    {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                encoded.append((char) c);
            }
            else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16))).append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
