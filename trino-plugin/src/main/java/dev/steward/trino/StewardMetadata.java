package dev.steward.trino;

import dev.steward.trino.ConsoleClient.Answer;
import dev.steward.trino.ConsoleClient.ConsoleView;
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

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import static java.util.Locale.ENGLISH;
import static java.util.Objects.requireNonNull;

/**
 * A views-only catalog: every relation is a SECURITY DEFINER view whose definition the console computes for the
 * querying user. Every public call first reads the console's epoch so a governance change applies to the very next
 * query, then answers from the cache where it can.
 */
public class StewardMetadata
        implements ConnectorMetadata
{
    public static final String PROJECT_PROPERTY = "project";

    private record Caller(String user, Optional<String> project) {}

    private record SchemasKey(Caller caller) {}

    private record ViewsKey(Caller caller, String schema) {}

    private record ViewKey(Caller caller, SchemaTableName view) {}

    private final ConsoleClient client;
    private final ViewCache cache;
    private final String serviceUser;

    public StewardMetadata(ConsoleClient client, ViewCache cache, String serviceUser)
    {
        this.client = requireNonNull(client, "client is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.serviceUser = requireNonNull(serviceUser, "serviceUser is null");
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session)
    {
        return schemas(begin(session));
    }

    @Override
    public boolean schemaExists(ConnectorSession session, String schemaName)
    {
        return schemas(begin(session)).contains(schemaName.toLowerCase(ENGLISH));
    }

    // Trino needs views in listTables too: SHOW TABLES and information_schema.tables read it.
    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schemaName)
    {
        return views(begin(session), schemaName);
    }

    @Override
    public List<SchemaTableName> listViews(ConnectorSession session, Optional<String> schemaName)
    {
        return views(begin(session), schemaName);
    }

    // The default asks for tables, views and materialized views separately: three epoch reads for one answer.
    @Override
    public Map<SchemaTableName, RelationType> getRelationTypes(ConnectorSession session, Optional<String> schemaName)
    {
        Map<SchemaTableName, RelationType> types = new LinkedHashMap<>();
        for (SchemaTableName name : views(begin(session), schemaName)) {
            types.put(name, RelationType.VIEW);
        }
        return types;
    }

    @Override
    public Map<SchemaTableName, ConnectorViewDefinition> getViews(ConnectorSession session, Optional<String> schemaName)
    {
        Caller caller = begin(session);
        Map<SchemaTableName, ConnectorViewDefinition> definitions = new LinkedHashMap<>();
        for (SchemaTableName name : views(caller, schemaName)) {
            view(caller, name).ifPresent(definition -> definitions.put(name, definition));
        }
        return definitions;
    }

    @Override
    public Optional<ConnectorViewDefinition> getView(ConnectorSession session, SchemaTableName viewName)
    {
        return view(begin(session), viewName);
    }

    // Unlike the defaults, fetch definitions only for the relations that access control lets through.
    @Override
    public Iterator<RelationColumnsMetadata> streamRelationColumns(ConnectorSession session, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        Caller caller = begin(session);
        List<RelationColumnsMetadata> columns = new ArrayList<>();
        for (SchemaTableName name : permitted(views(caller, schemaName), relationFilter)) {
            view(caller, name).ifPresent(definition -> columns.add(RelationColumnsMetadata.forView(name, definition.getColumns())));
        }
        return columns.iterator();
    }

    @Override
    public Iterator<RelationCommentMetadata> streamRelationComments(ConnectorSession session, Optional<String> schemaName, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        Caller caller = begin(session);
        List<RelationCommentMetadata> comments = new ArrayList<>();
        for (SchemaTableName name : permitted(views(caller, schemaName), relationFilter)) {
            view(caller, name).ifPresent(definition -> comments.add(RelationCommentMetadata.forRelation(name, definition.getComment())));
        }
        return comments.iterator();
    }

    // There are no tables; the 476 default throws instead of answering "not a table".
    @Override
    public ConnectorTableHandle getTableHandle(ConnectorSession session, SchemaTableName tableName, Optional<ConnectorTableVersion> startVersion, Optional<ConnectorTableVersion> endVersion)
    {
        return null;
    }

    private Caller begin(ConnectorSession session)
    {
        requireNonNull(session, "session is null");
        if (cache.isEnabled()) {
            cache.observeEpoch(client.epoch());
        }
        String project = session.getProperty(PROJECT_PROPERTY, String.class);
        return new Caller(
                session.getUser().toLowerCase(ENGLISH),
                project == null || project.isBlank() ? Optional.empty() : Optional.of(project.strip()));
    }

    private List<String> schemas(Caller caller)
    {
        return cached(new SchemasKey(caller), () -> lowerCase(client.schemas(caller.user(), caller.project())));
    }

    private List<SchemaTableName> views(Caller caller, Optional<String> schemaName)
    {
        List<String> visibleSchemas = schemas(caller);
        List<String> schemas = schemaName
                .map(name -> name.toLowerCase(ENGLISH))
                .map(name -> visibleSchemas.contains(name) ? List.of(name) : List.<String>of())
                .orElse(visibleSchemas);
        List<SchemaTableName> names = new ArrayList<>();
        for (String schema : schemas) {
            List<String> views = cached(new ViewsKey(caller, schema), () -> lowerCase(client.views(caller.user(), caller.project(), schema)));
            for (String view : views) {
                names.add(new SchemaTableName(schema, view));
            }
        }
        return names;
    }

    private Optional<ConnectorViewDefinition> view(Caller caller, SchemaTableName name)
    {
        // Would be read as relative path steps once in a URL; no Steward name looks like this.
        if (isDotSegment(name.getSchemaName()) || isDotSegment(name.getTableName())) {
            return Optional.empty();
        }
        // the connector's own system table (HashKeyTable), never a view
        if (name.getSchemaName().equals(HashKeyTable.SCHEMA)) {
            return Optional.empty();
        }
        return cached(new ViewKey(caller, name), () -> {
            Answer<Optional<ConsoleView>> answer = client.view(caller.user(), caller.project(), name.getSchemaName(), name.getTableName());
            return new Answer<>(answer.value().map(this::toDefinition), answer.epoch());
        });
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
        cache.put(key, answer.value(), answer.epoch());
        return answer.value();
    }

    private static List<SchemaTableName> permitted(List<SchemaTableName> names, UnaryOperator<Set<SchemaTableName>> relationFilter)
    {
        Set<SchemaTableName> permitted = relationFilter.apply(Set.copyOf(names));
        return names.stream().filter(permitted::contains).toList();
    }

    private static Answer<List<String>> lowerCase(Answer<List<String>> answer)
    {
        return new Answer<>(answer.value().stream().map(name -> name.toLowerCase(ENGLISH)).distinct().toList(), answer.epoch());
    }

    private static boolean isDotSegment(String name)
    {
        return name.equals(".") || name.equals("..");
    }
}
