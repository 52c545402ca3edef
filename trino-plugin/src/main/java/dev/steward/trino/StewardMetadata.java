package dev.steward.trino;

import dev.steward.trino.ConsoleClient.Answer;
import dev.steward.trino.ConsoleClient.Applied;
import dev.steward.trino.ConsoleClient.ConsoleView;
import dev.steward.trino.ConsoleClient.NamedView;
import dev.steward.trino.ConsoleClient.UnknownUserException;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.ConnectorViewDefinition;
import io.trino.spi.connector.ConnectorViewDefinition.ViewColumn;
import io.trino.spi.connector.RelationColumnsMetadata;
import io.trino.spi.connector.RelationCommentMetadata;
import io.trino.spi.connector.RelationType;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.type.TypeId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_BAD_ANSWER;
import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * A views-only catalog: every relation is a SECURITY DEFINER view whose definition the console computes for the
 * querying user.
 * <p>
 * The first call of each Trino query takes the console's epoch (once per query id, however often Trino calls in),
 * so a governance change applies to the very next query; then answers come from the cache where they can. The
 * epoch comes from the catalog's {@link EpochWatch} while that is trusted (no call to the console), else from a
 * read of its own.
 * Catalog browsing (schemas, listings, {@code getViews}, information_schema) is served from one bulk answer per
 * (user, project) holding every view with its definition; {@code getView} of a single view uses that answer when
 * it is cached and otherwise asks for that one view, so a query naming one view never downloads all of them.
 * Likewise what needs only the names in one given schema ({@code schemaExists}, and {@code listTables},
 * {@code listViews} and {@code getRelationTypes} of one schema: a {@code SHOW TABLES FROM s}) uses the bulk answer
 * when it is cached and otherwise asks for that schema's names alone, so it never downloads every definition.
 * A console without the bulk endpoint (404 without a code) is asked per schema and per view, as before.
 */
public class StewardMetadata
        implements ConnectorMetadata
{
    public static final String PROJECT_PROPERTY = "project";

    private static final Logger LOG = Logger.getLogger(StewardMetadata.class.getName());
    // A console without the bulk endpoint is asked again after this long: it may have been upgraded.
    static final Duration BULK_RETRY = Duration.ofMinutes(5);
    // Queries whose epoch was read. cleanupQuery forgets each; this bounds what missed cleanups could leave.
    static final int MAX_QUERIES = 10_000;
    private static final Duration QUERY_ENTRY_AGE = Duration.ofMinutes(10);

    // Whose answers: the cache's keys.
    private record Who(String user, Optional<String> project) {}

    // One call of one query.
    private record Caller(String queryId, String user, Optional<String> project)
    {
        Who who()
        {
            return new Who(user, project);
        }
    }

    private record AllViewsKey(Who who) {}

    private record SchemasKey(Who who) {}

    private record ViewsKey(Who who, String schema) {}

    private record ViewKey(Who who, SchemaTableName view) {}

    // A view's definition and what the console says it applied (for the query audit).
    private record GovernedView(ConnectorViewDefinition definition, Optional<Applied> applied) {}

    private static final class QueryEpoch
    {
        private final long createdNanos;
        private boolean read;

        private QueryEpoch(long createdNanos)
        {
            this.createdNanos = createdNanos;
        }
    }

    /**
     * Everything one user sees in one project (one bulk answer), in the console's order.
     */
    private static final class Catalog
    {
        static final Catalog EMPTY = new Catalog(List.of(), Map.of());

        private final List<SchemaTableName> names;
        private final Map<String, List<SchemaTableName>> namesBySchema;
        private final Map<SchemaTableName, GovernedView> definitions;

        Catalog(List<SchemaTableName> names, Map<SchemaTableName, GovernedView> definitions)
        {
            this.names = List.copyOf(names);
            this.definitions = Map.copyOf(definitions);
            Map<String, List<SchemaTableName>> bySchema = new LinkedHashMap<>();
            for (SchemaTableName name : names) {
                bySchema.computeIfAbsent(name.getSchemaName(), ignored -> new ArrayList<>()).add(name);
            }
            bySchema.replaceAll((schema, list) -> List.copyOf(list));
            this.namesBySchema = bySchema;
        }

        List<String> schemas()
        {
            return List.copyOf(namesBySchema.keySet());
        }

        boolean hasSchema(String schema)
        {
            return namesBySchema.containsKey(schema);
        }

        List<SchemaTableName> names(Optional<String> schema)
        {
            return schema.map(name -> namesBySchema.getOrDefault(name, List.of())).orElse(names);
        }

        Optional<GovernedView> view(SchemaTableName name)
        {
            return Optional.ofNullable(definitions.get(name));
        }

        int size()
        {
            return names.size();
        }
    }

    private final ConsoleClient client;
    private final ViewCache cache;
    private final String serviceUser;
    private final String catalogName;
    private final QueryAudit audit;
    private final Optional<EpochWatch> watch;
    private final ConcurrentMap<String, QueryEpoch> queries = new ConcurrentHashMap<>();
    // Present (a ticker value) while the console is taken to have no bulk endpoint; asked again from then on.
    private volatile OptionalLong bulkMissingUntil = OptionalLong.empty();

    public StewardMetadata(ConsoleClient client, ViewCache cache, String serviceUser)
    {
        this(client, cache, serviceUser, "governed", new QueryAudit());
    }

    /**
     * @param catalogName this catalog's name, for the query audit's records
     * @param audit where each query's decisions go for the query audit's event listener
     */
    public StewardMetadata(ConsoleClient client, ViewCache cache, String serviceUser, String catalogName, QueryAudit audit)
    {
        this(client, cache, serviceUser, catalogName, audit, Optional.empty());
    }

    /**
     * @param watch the catalog's epoch watch (on the same cache), whose epoch a query takes while it is trusted;
     * started by the first query
     */
    public StewardMetadata(ConsoleClient client, ViewCache cache, String serviceUser, String catalogName, QueryAudit audit, Optional<EpochWatch> watch)
    {
        this.client = requireNonNull(client, "client is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.serviceUser = requireNonNull(serviceUser, "serviceUser is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.watch = requireNonNull(watch, "watch is null");
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session)
    {
        Caller caller = begin(session);
        return catalog(caller).map(Catalog::schemas).orElseGet(() -> schemas(caller));
    }

    // SHOW TABLES asks this before getRelationTypes of the schema: a schema exists while the user sees a view in it
    // (the console lists exactly those), so a cold cache answers both with one call for the schema's names.
    @Override
    public boolean schemaExists(ConnectorSession session, String schemaName)
    {
        Caller caller = begin(session);
        String schema = schemaName.toLowerCase(ENGLISH);
        Catalog catalog = cache.get(new AllViewsKey(caller.who()));
        if (catalog != null) {
            return catalog.hasSchema(schema);
        }
        List<String> schemas = cache.get(new SchemasKey(caller.who()));
        if (schemas != null) {
            return schemas.contains(schema);
        }
        return !namesIn(caller, schema).isEmpty();
    }

    // Trino needs views in listTables too: SHOW TABLES and information_schema.tables read it.
    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schemaName)
    {
        return listNames(begin(session), schemaName);
    }

    @Override
    public List<SchemaTableName> listViews(ConnectorSession session, Optional<String> schemaName)
    {
        return listNames(begin(session), schemaName);
    }

    // The default asks for tables, views and materialized views separately. SHOW TABLES and
    // information_schema.tables read this (one schema, or all).
    @Override
    public Map<SchemaTableName, RelationType> getRelationTypes(ConnectorSession session, Optional<String> schemaName)
    {
        Map<SchemaTableName, RelationType> types = new LinkedHashMap<>();
        for (SchemaTableName name : listNames(begin(session), schemaName)) {
            types.put(name, RelationType.VIEW);
        }
        return types;
    }

    @Override
    public Map<SchemaTableName, ConnectorViewDefinition> getViews(ConnectorSession session, Optional<String> schemaName)
    {
        Caller caller = begin(session);
        Optional<Catalog> catalog = catalog(caller);
        Map<SchemaTableName, ConnectorViewDefinition> definitions = new LinkedHashMap<>();
        for (SchemaTableName name : names(caller, catalog, schemaName)) {
            definition(caller, catalog, name).ifPresent(definition -> definitions.put(name, definition));
        }
        return definitions;
    }

    @Override
    public Optional<ConnectorViewDefinition> getView(ConnectorSession session, SchemaTableName viewName)
    {
        // The connector's own system table (HashKeyTable) is never a view, and dot segments would be read as
        // relative path steps in a URL (no Steward name looks like either): no need to ask the console.
        if (isReserved(viewName)) {
            return Optional.empty();
        }
        Caller caller = begin(session);
        // A cached bulk answer is complete: what it does not hold does not exist for this user.
        Catalog catalog = cache.get(new AllViewsKey(caller.who()));
        Optional<GovernedView> view;
        if (catalog != null) {
            view = catalog.view(viewName);
        }
        else {
            try {
                view = singleView(caller, viewName);
            }
            catch (UnknownUserException e) {
                audit.unknownUser(caller.queryId(), catalogName);
                throw e;
            }
        }
        // The query audit: what this query was served, or that the view is not visible to the user.
        if (view.isPresent()) {
            audit.served(caller.queryId(), catalogName, viewName, view.get().applied(), caller.project());
        }
        else {
            audit.hidden(caller.queryId(), catalogName, viewName, caller.project());
        }
        return view.map(GovernedView::definition);
    }

    // Unlike the defaults, read definitions only for the relations that access control lets through.
    @Override
    public Iterator<RelationColumnsMetadata> streamRelationColumns(ConnectorSession session, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        Caller caller = begin(session);
        Optional<Catalog> catalog = catalog(caller);
        List<RelationColumnsMetadata> columns = new ArrayList<>();
        for (SchemaTableName name : permitted(names(caller, catalog, schemaName), relationFilter)) {
            definition(caller, catalog, name).ifPresent(definition -> columns.add(RelationColumnsMetadata.forView(name, definition.getColumns())));
        }
        return columns.iterator();
    }

    @Override
    public Iterator<RelationCommentMetadata> streamRelationComments(ConnectorSession session, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        Caller caller = begin(session);
        Optional<Catalog> catalog = catalog(caller);
        List<RelationCommentMetadata> comments = new ArrayList<>();
        for (SchemaTableName name : permitted(names(caller, catalog, schemaName), relationFilter)) {
            definition(caller, catalog, name).ifPresent(definition -> comments.add(RelationCommentMetadata.forRelation(name, definition.getComment())));
        }
        return comments.iterator();
    }

    // There are no tables; the 476 default throws instead of answering "not a table".
    @Override
    public ConnectorTableHandle getTableHandle(ConnectorSession session, SchemaTableName tableName, Optional<ConnectorTableVersion> startVersion, Optional<ConnectorTableVersion> endVersion)
    {
        return null;
    }

    // Trino calls this once per query and catalog when the query ends.
    @Override
    public void cleanupQuery(ConnectorSession session)
    {
        queries.remove(session.getQueryId());
    }

    /**
     * Number of queries whose epoch read is remembered (for tests).
     */
    int rememberedQueries()
    {
        return queries.size();
    }

    private Caller begin(ConnectorSession session)
    {
        requireNonNull(session, "session is null");
        if (cache.isEnabled()) {
            readEpochOnce(session.getQueryId());
        }
        String project = session.getProperty(PROJECT_PROPERTY, String.class);
        return new Caller(
                session.getQueryId(),
                session.getUser().toLowerCase(ENGLISH),
                project == null || project.isBlank() ? Optional.empty() : Optional.of(project.strip()));
    }

    /**
     * Takes the console's epoch at the first call of a query and never again for it: every later call of the same
     * query runs on what that established (the cache it kept, or dropped). The epoch is the watch's when the watch
     * is trusted at this instant (no call to the console), else read now; a failed read is not remembered, so the
     * next call tries again.
     */
    private void readEpochOnce(String queryId)
    {
        QueryEpoch query = queries.computeIfAbsent(queryId, ignored -> new QueryEpoch(cache.nanoTime()));
        synchronized (query) {
            if (!query.read) {
                watch.ifPresent(EpochWatch::start);
                OptionalLong watched = watch.map(EpochWatch::trustedEpoch).orElse(OptionalLong.empty());
                long epoch = watched.isPresent() ? watched.getAsLong() : client.epoch();
                cache.observeEpoch(epoch);
                query.read = true;
                audit.epoch(queryId, epoch);
                LOG.fine(() -> "query %s: console epoch %d (%s)".formatted(queryId, epoch, watched.isPresent() ? "watched" : "read"));
            }
        }
        if (queries.size() > MAX_QUERIES) {
            long now = cache.nanoTime();
            queries.values().removeIf(entry -> now - entry.createdNanos > QUERY_ENTRY_AGE.toNanos());
            if (queries.size() > MAX_QUERIES) {
                // Only costs the queries still running one more epoch read each.
                queries.clear();
            }
        }
    }

    /**
     * The bulk answer for the caller, cached or fetched now; empty when the console has no bulk endpoint.
     */
    private Optional<Catalog> catalog(Caller caller)
    {
        AllViewsKey key = new AllViewsKey(caller.who());
        Catalog cached = cache.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        OptionalLong missingUntil = bulkMissingUntil;
        if (missingUntil.isPresent() && cache.nanoTime() - missingUntil.getAsLong() < 0) {
            return Optional.empty();
        }
        Optional<Answer<List<NamedView>>> answer = client.allViews(caller.user(), caller.project());
        if (answer.isEmpty()) {
            if (missingUntil.isEmpty()) {
                LOG.info("Steward: the console has no bulk view endpoint (GET %s/users/{user}/views answered 404); listing per schema and per view, asking again every %s"
                        .formatted(ConsoleClient.API_PREFIX, StewardConfig.format(BULK_RETRY)));
            }
            bulkMissingUntil = OptionalLong.of(cache.nanoTime() + BULK_RETRY.toNanos());
            return Optional.empty();
        }
        bulkMissingUntil = OptionalLong.empty();
        noteAnswer(caller, answer.get());
        Catalog catalog = toCatalog(caller, answer.get().value());
        cache.put(key, catalog, answer.get().epoch(), answer.get().validUntil(), catalog.size() + 1L);
        return Optional.of(catalog);
    }

    private Catalog toCatalog(Caller caller, List<NamedView> views)
    {
        if (views.isEmpty()) {
            return Catalog.EMPTY;
        }
        List<SchemaTableName> names = new ArrayList<>(views.size());
        Map<SchemaTableName, GovernedView> definitions = new HashMap<>();
        for (NamedView view : views) {
            SchemaTableName name = new SchemaTableName(view.schema(), view.name());
            if (isReserved(name)) {
                // Could never be read (see getView); listing it would be a lie, dropping it silently another.
                throw new TrinoException(STEWARD_CONSOLE_BAD_ANSWER, "Steward: malformed answer from the console for all views of user '%s': view '%s' has a name reserved by the connector"
                        .formatted(caller.user(), name));
            }
            names.add(name);
            definitions.put(name, toGoverned(view.view()));
        }
        return new Catalog(names, definitions);
    }

    /**
     * Names only (listings): those of one schema come from the bulk answer when it is cached, else from that
     * schema's own listing (never the bulk answer: SHOW TABLES needs no definitions); all schemas' from the bulk
     * answer, fetched if need be.
     */
    private List<SchemaTableName> listNames(Caller caller, Optional<String> schemaName)
    {
        if (schemaName.isEmpty()) {
            return names(caller, catalog(caller), schemaName);
        }
        String schema = schemaName.get().toLowerCase(ENGLISH);
        Catalog catalog = cache.get(new AllViewsKey(caller.who()));
        return catalog != null ? catalog.names(Optional.of(schema)) : namesIn(caller, schema);
    }

    private List<SchemaTableName> names(Caller caller, Optional<Catalog> catalog, Optional<String> schemaName)
    {
        Optional<String> schema = schemaName.map(name -> name.toLowerCase(ENGLISH));
        if (catalog.isPresent()) {
            return catalog.get().names(schema);
        }
        if (schema.isPresent()) {
            return namesIn(caller, schema.get());
        }
        // An older console: one call for the schemas, one per schema.
        List<SchemaTableName> names = new ArrayList<>();
        for (String name : schemas(caller)) {
            names.addAll(namesIn(caller, name));
        }
        return names;
    }

    /**
     * The names in one (lower-case) schema without the bulk answer: the schema's own listing, cached under its
     * epoch and {@code validUntil}. A schema the cached schema list lacks, or one reserved by the connector, is
     * empty without a call.
     */
    private List<SchemaTableName> namesIn(Caller caller, String schema)
    {
        if (isReservedSchema(schema)) {
            return List.of();
        }
        List<String> visibleSchemas = cache.get(new SchemasKey(caller.who()));
        if (visibleSchemas != null && !visibleSchemas.contains(schema)) {
            return List.of();
        }
        List<String> views = cached(new ViewsKey(caller.who(), schema), () -> {
            Answer<List<String>> answer = lowerCase(noteAnswer(caller, client.views(caller.user(), caller.project(), schema)));
            for (String view : answer.value()) {
                if (isDotSegment(view)) {
                    // As in the bulk answer (toCatalog): a name that could never be read is neither listed nor dropped.
                    throw new TrinoException(STEWARD_CONSOLE_BAD_ANSWER, "Steward: malformed answer from the console for the views of user '%s' in schema '%s': view '%s' has a name reserved by the connector"
                            .formatted(caller.user(), schema, new SchemaTableName(schema, view)));
                }
            }
            return answer;
        });
        List<SchemaTableName> names = new ArrayList<>(views.size());
        for (String view : views) {
            names.add(new SchemaTableName(schema, view));
        }
        return names;
    }

    private Optional<ConnectorViewDefinition> definition(Caller caller, Optional<Catalog> catalog, SchemaTableName name)
    {
        return (catalog.isPresent() ? catalog.get().view(name) : singleView(caller, name)).map(GovernedView::definition);
    }

    private List<String> schemas(Caller caller)
    {
        return cached(new SchemasKey(caller.who()), () -> lowerCase(noteAnswer(caller, client.schemas(caller.user(), caller.project()))));
    }

    private Optional<GovernedView> singleView(Caller caller, SchemaTableName name)
    {
        if (isReserved(name)) {
            return Optional.empty();
        }
        return cached(new ViewKey(caller.who(), name), () -> {
            Answer<Optional<ConsoleView>> answer = noteAnswer(caller, client.view(caller.user(), caller.project(), name.getSchemaName(), name.getTableName()));
            return new Answer<>(answer.value().map(this::toGoverned), answer.epoch(), answer.validUntil());
        });
    }

    /**
     * For the query audit: a listing for a user the console does not know, and the epoch of an answer (with
     * caching off, no epoch is read per query: the answers' epoch is the query's).
     */
    private <T> Answer<T> noteAnswer(Caller caller, Answer<T> answer)
    {
        if (answer.unknownUser()) {
            audit.unknownUser(caller.queryId(), catalogName);
        }
        if (!cache.isEnabled() && answer.epoch().isPresent()) {
            audit.epoch(caller.queryId(), answer.epoch().getAsLong());
        }
        return answer;
    }

    private GovernedView toGoverned(ConsoleView view)
    {
        return new GovernedView(toDefinition(view), view.applied());
    }

    private ConnectorViewDefinition toDefinition(ConsoleView view)
    {
        List<ViewColumn> columns = view.columns().stream()
                .map(column -> new ViewColumn(column.name(), TypeId.of(column.type()), Optional.empty()))
                .toList();
        // SECURITY DEFINER: Trino reads the backing tables as the owner, never as the querying user.
        // The SQL is fully qualified, so the view carries no catalog or schema.
        return new ConnectorViewDefinition(
                view.sql(),
                Optional.empty(),
                Optional.empty(),
                columns,
                view.comment(),
                Optional.of(view.owner().orElse(serviceUser)),
                false,
                List.of());
    }

    private <T> T cached(Object key, Supplier<Answer<T>> fetch)
    {
        T value = cache.get(key);
        if (value != null) {
            return value;
        }
        Answer<T> answer = fetch.get();
        cache.put(key, answer.value(), answer.epoch(), answer.validUntil(), 1);
        return answer.value();
    }

    private static List<SchemaTableName> permitted(List<SchemaTableName> names, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        Set<SchemaTableName> permitted = relationFilter.apply(Set.copyOf(names));
        return names.stream().filter(permitted::contains).toList();
    }

    private static Answer<List<String>> lowerCase(Answer<List<String>> answer)
    {
        return new Answer<>(answer.value().stream().map(name -> name.toLowerCase(ENGLISH)).distinct().toList(), answer.epoch(), answer.validUntil());
    }

    private static boolean isReserved(SchemaTableName name)
    {
        return isReservedSchema(name.getSchemaName()) || isDotSegment(name.getTableName());
    }

    private static boolean isReservedSchema(String schema)
    {
        return isDotSegment(schema) || schema.equals(HashKeyTable.SCHEMA);
    }

    private static boolean isDotSegment(String name)
    {
        return name.equals(".") || name.equals("..");
    }
}
