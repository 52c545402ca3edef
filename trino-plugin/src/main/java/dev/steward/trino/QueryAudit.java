package dev.steward.trino;

import dev.steward.trino.ConsoleClient.Applied;
import io.trino.spi.connector.SchemaTableName;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * What the steward catalogs decided for each Trino query, kept until the query audit's event listener takes it
 * when the query completes ({@link QueryAuditListener}): the governed views served with what the console applied,
 * the epoch, the session project, and the denials (user unknown to the console, view not visible).
 * <p>
 * Shared by every steward catalog and the event listener of one plugin (one instance per {@link StewardPlugin}).
 * Metadata runs on the coordinator, and so does the listener: the registry is coordinator-local. It records
 * nothing until a listener is configured ({@link #enable()}), and it is bounded: at most {@link #MAX_QUERIES}
 * queries (entries older than {@link #MAX_AGE_NANOS} go first, then the oldest tenth: such a query is reported
 * without its decisions, never blocked) and {@link #MAX_VIEWS} views per query.
 */
public final class QueryAudit
{
    static final int MAX_QUERIES = 10_000;
    static final int MAX_VIEWS = 1_000;
    static final long MAX_AGE_NANOS = 30L * 60 * 1_000_000_000;

    /**
     * A governed view whose definition a catalog served to the query.
     */
    public record ServedView(String catalog, SchemaTableName name, Optional<Applied> applied)
    {
        public ServedView
        {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(name, "name is null");
            requireNonNull(applied, "applied is null");
        }
    }

    /**
     * A view the query named that the user may not see (the catalog answered "no such view").
     */
    public record HiddenView(String catalog, SchemaTableName name)
    {
        public HiddenView
        {
            requireNonNull(catalog, "catalog is null");
            requireNonNull(name, "name is null");
        }
    }

    /**
     * Everything recorded for one query.
     *
     * @param unknownUserCatalogs the catalogs whose console did not know the user
     */
    public record Decisions(OptionalLong epoch, Optional<String> project, List<ServedView> views, List<HiddenView> hidden, Set<String> unknownUserCatalogs)
    {
        public Decisions
        {
            requireNonNull(epoch, "epoch is null");
            requireNonNull(project, "project is null");
            views = List.copyOf(views);
            hidden = List.copyOf(hidden);
            unknownUserCatalogs = Set.copyOf(unknownUserCatalogs);
        }
    }

    private static final class Entry
    {
        private final long createdNanos;
        private OptionalLong epoch = OptionalLong.empty();
        private Optional<String> project = Optional.empty();
        private final Map<List<Object>, ServedView> views = new LinkedHashMap<>();
        private final Set<HiddenView> hidden = new LinkedHashSet<>();
        private final Set<String> unknownUserCatalogs = new LinkedHashSet<>();

        private Entry(long createdNanos)
        {
            this.createdNanos = createdNanos;
        }
    }

    private final LongSupplier ticker;
    private final ConcurrentMap<String, Entry> queries = new ConcurrentHashMap<>();
    private volatile boolean enabled;

    public QueryAudit()
    {
        this(System::nanoTime);
    }

    QueryAudit(LongSupplier ticker)
    {
        this.ticker = requireNonNull(ticker, "ticker is null");
    }

    /**
     * Starts recording (called when a query audit listener is created).
     */
    public void enable()
    {
        enabled = true;
    }

    public boolean isEnabled()
    {
        return enabled;
    }

    public void epoch(String queryId, long epoch)
    {
        update(queryId, entry -> entry.epoch = OptionalLong.of(epoch));
    }

    /**
     * A view served to the query with what the console applied; {@code project} is the session property.
     */
    public void served(String queryId, String catalog, SchemaTableName name, Optional<Applied> applied, Optional<String> project)
    {
        update(queryId, entry -> {
            sessionProject(entry, project);
            List<Object> key = List.of(catalog, name);
            if (entry.views.containsKey(key) || entry.views.size() < MAX_VIEWS) {
                entry.views.put(key, new ServedView(catalog, name, applied));
            }
        });
    }

    public void hidden(String queryId, String catalog, SchemaTableName name, Optional<String> project)
    {
        update(queryId, entry -> {
            sessionProject(entry, project);
            if (entry.hidden.size() < MAX_VIEWS) {
                entry.hidden.add(new HiddenView(catalog, name));
            }
        });
    }

    public void unknownUser(String queryId, String catalog)
    {
        update(queryId, entry -> entry.unknownUserCatalogs.add(catalog));
    }

    /**
     * The query's decisions, forgotten here; empty when nothing was recorded for it.
     */
    public Optional<Decisions> take(String queryId)
    {
        Entry entry = queries.remove(queryId);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return Optional.of(new Decisions(entry.epoch, entry.project, new ArrayList<>(entry.views.values()), new ArrayList<>(entry.hidden), entry.unknownUserCatalogs));
        }
    }

    /**
     * Queries with decisions not yet taken (for tests).
     */
    int size()
    {
        return queries.size();
    }

    private static void sessionProject(Entry entry, Optional<String> project)
    {
        if (entry.project.isEmpty()) {
            entry.project = project;
        }
    }

    private void update(String queryId, Consumer<Entry> change)
    {
        if (!enabled) {
            return;
        }
        requireNonNull(queryId, "queryId is null");
        Entry entry = queries.computeIfAbsent(queryId, ignored -> new Entry(ticker.getAsLong()));
        synchronized (entry) {
            change.accept(entry);
        }
        if (queries.size() > MAX_QUERIES) {
            long now = ticker.getAsLong();
            queries.values().removeIf(old -> now - old.createdNanos > MAX_AGE_NANOS);
            if (queries.size() > MAX_QUERIES) {
                // A flood of queries still running: the oldest tenth goes (they are reported without decisions).
                queries.entrySet().stream()
                        .sorted(Comparator.comparingLong(e -> e.getValue().createdNanos))
                        .limit(queries.size() - MAX_QUERIES * 9L / 10)
                        .map(Map.Entry::getKey)
                        .toList()
                        .forEach(queries::remove);
            }
        }
    }
}
