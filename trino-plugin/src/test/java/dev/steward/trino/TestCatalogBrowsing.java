package dev.steward.trino;

import dev.steward.trino.ConsoleClient.Endpoint;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorViewDefinition;
import io.trino.spi.connector.RelationColumnsMetadata;
import io.trino.spi.connector.RelationCommentMetadata;
import io.trino.spi.connector.RelationType;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.type.TypeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_BAD_ANSWER;
import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalog browsing from the bulk endpoint, per-query epoch reads and validUntil, counted per endpoint.
 */
class TestCatalogBrowsing
{
    private static final String EPOCH = "/api/trino/v1/epoch";
    private static final String ALL_VIEWS = "/api/trino/v1/users/alice/views";
    private static final String EMPLOYEES = "/api/trino/v1/users/alice/schemas/hr/views/employees";
    private static final Instant START = Instant.parse("2026-06-01T12:00:00Z");
    private static final List<String> SCHEMAS = List.of("finance", "hr", "sales");

    private final TestingClock clock = new TestingClock(START);
    private FakeConsole console;
    private ConsoleClient client;
    private StewardMetadata metadata;
    private Map<Endpoint, Long> before;

    @BeforeEach
    void setUp()
            throws Exception
    {
        console = FakeConsole.start();
        StewardConfig config = console.config("5s", "60s");
        client = new ConsoleClient(config);
        metadata = new StewardMetadata(client, clock.cache(config.cacheTtl()), config.serviceUser());
        mark();
    }

    @AfterEach
    void tearDown()
    {
        client.close();
        console.close();
    }

    @Test
    void showTablesAndInformationSchemaInOneQueryMakeOneBulkCall()
    {
        int perSchema = 40;
        serveAll(1, null, perSchema);
        TestingSession query = alice();

        // What SHOW SCHEMAS, SHOW TABLES FROM hr, information_schema.tables/views/columns and a BI tool ask for.
        assertEquals(SCHEMAS, metadata.listSchemaNames(query));
        assertTrue(metadata.schemaExists(query, "hr"));
        assertFalse(metadata.schemaExists(query, "nope"));
        List<SchemaTableName> all = metadata.listTables(query, Optional.empty());
        assertEquals(SCHEMAS.size() * perSchema, all.size());
        assertEquals(names("hr", perSchema), metadata.listTables(query, Optional.of("hr")));
        assertEquals(names("sales", perSchema), metadata.listViews(query, Optional.of("SALES")));
        assertEquals(List.of(), metadata.listViews(query, Optional.of("nope")));
        assertEquals(all, List.copyOf(metadata.getRelationTypes(query, Optional.empty()).keySet()));
        assertEquals(Set.of(RelationType.VIEW), Set.copyOf(metadata.getRelationTypes(query, Optional.of("hr")).values()));
        for (String schema : SCHEMAS) {
            Map<SchemaTableName, ConnectorViewDefinition> views = metadata.getViews(query, Optional.of(schema));
            assertEquals(names(schema, perSchema), List.copyOf(views.keySet()));
        }
        Map<SchemaTableName, ConnectorViewDefinition> views = metadata.getViews(query, Optional.empty());
        assertEquals(all, List.copyOf(views.keySet()));
        ConnectorViewDefinition v7 = views.get(new SchemaTableName("hr", "v7"));
        assertEquals("SELECT 7 AS \"x\"", v7.getOriginalSql());
        assertEquals(Optional.of("steward_svc"), v7.getOwner());
        assertEquals(Optional.of("view hr.v7"), v7.getComment());
        assertFalse(v7.isRunAsInvoker());
        // a view without owner gets the service user, as from the single-view endpoint
        assertEquals(Optional.of("steward"), views.get(new SchemaTableName("hr", "v0")).getOwner());

        List<RelationColumnsMetadata> columns = new ArrayList<>();
        metadata.streamRelationColumns(query, Optional.empty(), names -> names).forEachRemaining(columns::add);
        assertEquals(all.size(), columns.size());
        assertEquals(List.of(TypeId.of("integer"), TypeId.of("varchar(25)")), columns.getFirst().viewColumns().orElseThrow().stream().map(ConnectorViewDefinition.ViewColumn::getType).toList());
        List<RelationCommentMetadata> comments = new ArrayList<>();
        metadata.streamRelationComments(query, Optional.of("finance"), names -> Set.of(new SchemaTableName("finance", "v3"))).forEachRemaining(comments::add);
        assertEquals(List.of(RelationCommentMetadata.forRelation(new SchemaTableName("finance", "v3"), Optional.of("view finance.v3"))), comments);
        assertEquals(Optional.of("SELECT 5 AS \"x\""), metadata.getView(query, new SchemaTableName("sales", "v5")).map(ConnectorViewDefinition::getOriginalSql));
        assertEquals(Optional.empty(), metadata.getView(query, new SchemaTableName("sales", "nope")));

        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.ALL_VIEWS, 1L));
    }

    @Test
    void cachedQueryMakesOneEpochCallAndNoViewCall()
    {
        serveAll(1, null, 10);
        browse(alice());
        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.ALL_VIEWS, 1L));

        mark();
        TestingSession second = alice();
        browse(second);
        browse(second);
        assertTrue(metadata.getView(second, new SchemaTableName("hr", "v1")).isPresent());
        assertCalls(Map.of(Endpoint.EPOCH, 1L));

        // Another user (or project) has a bulk answer of its own.
        mark();
        console.answer("/api/trino/v1/users/bob/views", 200, bulk(1, null, List.of("hr"), 2));
        assertEquals(2, metadata.listTables(new TestingSession("Bob"), Optional.empty()).size());
        // (FakeConsole answers by path: the same body, asked for again)
        assertEquals(30, metadata.listTables(new TestingSession("alice", Map.of(StewardMetadata.PROJECT_PROPERTY, "fraud")), Optional.empty()).size());
        assertCalls(Map.of(Endpoint.EPOCH, 2L, Endpoint.ALL_VIEWS, 2L));
        assertEquals("project=fraud", console.requests().getLast().rawQuery());
    }

    @Test
    void epochIsReadOncePerQuery()
    {
        serveAll(1, null, 3);
        TestingSession query = alice();
        for (int i = 0; i < 5; i++) {
            browse(query);
            metadata.getView(query, new SchemaTableName("hr", "v1"));
        }
        assertEquals(1, console.count(EPOCH));
        assertEquals(1, metadata.rememberedQueries());
        // Trino's end of query forgets it.
        metadata.cleanupQuery(query);
        assertEquals(0, metadata.rememberedQueries());
        metadata.cleanupQuery(query);
    }

    @Test
    void consoleChangeIsEnforcedOnTheNextQuery()
    {
        serveAll(1, null, 3);
        TestingSession first = alice();
        assertEquals(9, metadata.listTables(first, Optional.empty()).size());

        // A governance write: fewer views, a new epoch.
        serveAll(2, null, 2);
        // The running query keeps what its epoch read established ...
        assertEquals(9, metadata.listTables(first, Optional.empty()).size());
        // ... the next one sees the change.
        TestingSession next = alice();
        assertEquals(6, metadata.listTables(next, Optional.empty()).size());
        assertEquals(Optional.empty(), metadata.getView(next, new SchemaTableName("hr", "v2")));
        assertEquals(2, console.count(ALL_VIEWS));
        assertEquals(2, console.count(EPOCH));
    }

    @Test
    void failedEpochReadIsRetriedWithinTheQuery()
    {
        serveAll(1, null, 1);
        console.answer(EPOCH, 503, "");
        TestingSession query = alice();
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.listTables(query, Optional.empty()));
        assertTrue(e.getMessage().startsWith("Steward: the console answered 503 when asked for the epoch"), e.getMessage());
        console.epoch(1);
        assertEquals(3, metadata.listTables(query, Optional.empty()).size());
        metadata.listTables(query, Optional.empty());
        assertEquals(2, console.count(EPOCH));
    }

    @Test
    void singleViewQueryDoesNotDownloadEverything()
    {
        serveAll(1, null, 5);
        console.answer(EMPLOYEES, 200, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]}}");
        assertTrue(metadata.getView(alice(), new SchemaTableName("hr", "employees")).isPresent());
        assertTrue(metadata.getView(alice(), new SchemaTableName("hr", "employees")).isPresent());
        assertCalls(Map.of(Endpoint.EPOCH, 2L, Endpoint.VIEW, 1L));

        // Once the bulk answer is cached it answers single views too, also for views it does not hold.
        mark();
        metadata.listTables(alice(), Optional.empty());
        TestingSession query = alice();
        assertTrue(metadata.getView(query, new SchemaTableName("sales", "v4")).isPresent());
        assertEquals(Optional.empty(), metadata.getView(query, new SchemaTableName("hr", "employees")));
        assertCalls(Map.of(Endpoint.EPOCH, 2L, Endpoint.ALL_VIEWS, 1L));

        // The connector's own system table is never asked about, not even the epoch.
        mark();
        assertEquals(Optional.empty(), metadata.getView(alice(), HashKeyTable.NAME));
        assertCalls(Map.of());
    }

    @Test
    void answerValidUntilIsHonouredWithoutAnEpochChange()
    {
        // The console says: this list changes at T (a subscription expires), though no write will bump the epoch.
        Instant t = START.plusSeconds(30);
        serveAll(1, t.toString(), 2);
        assertEquals(6, metadata.listTables(alice(), Optional.empty()).size());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(6, metadata.listTables(alice(), Optional.empty()).size());
        assertEquals(1, console.count(ALL_VIEWS));

        serveAll(1, null, 1);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(3, metadata.listTables(alice(), Optional.empty()).size());
        assertEquals(2, console.count(ALL_VIEWS));
        assertEquals(3, console.count(EPOCH));
    }

    @Test
    void singleViewValidUntilIsHonoured()
    {
        SchemaTableName employees = new SchemaTableName("hr", "employees");
        console.answer(EMPLOYEES, 200, """
                {"epoch": 1, "validUntil": "%s", "view": {"sql": "SELECT 1 x", "columns": [{"name": "x", "type": "integer"}]}}
                """.formatted(START.plusSeconds(10)));
        assertTrue(metadata.getView(alice(), employees).isPresent());
        clock.advance(Duration.ofSeconds(9));
        assertTrue(metadata.getView(alice(), employees).isPresent());
        assertEquals(1, console.count(EMPLOYEES));

        // At T the subscription has expired: the console now says the view is not there.
        console.answer(EMPLOYEES, 404, "{\"error\": \"no such view\", \"code\": \"NO_SUCH_VIEW\"}");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.empty(), metadata.getView(alice(), employees));
        assertEquals(2, console.count(EMPLOYEES));
    }

    @Test
    void ttlStillBoundsAnAnswerValidForLonger()
    {
        serveAll(1, START.plus(Duration.ofDays(30)).toString(), 1);
        metadata.listTables(alice(), Optional.empty());
        clock.advance(Duration.ofSeconds(59));
        metadata.listTables(alice(), Optional.empty());
        assertEquals(1, console.count(ALL_VIEWS));
        clock.advance(Duration.ofSeconds(1));
        metadata.listTables(alice(), Optional.empty());
        assertEquals(2, console.count(ALL_VIEWS));
    }

    @Test
    void malformedBulkAnswerFailsTheQueryAndIsNotCached()
    {
        console.answer(ALL_VIEWS, 200, """
                {"epoch": 1, "views": [
                  {"schema": "hr", "name": "a", "sql": "SELECT 1 x", "columns": [{"name": "x", "type": "integer"}]},
                  {"schema": "hr", "name": "B", "sql": "SELECT 1 x", "columns": [{"name": "x", "type": "integer"}]}]}
                """);
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.listTables(alice(), Optional.empty()));
        assertEquals(STEWARD_CONSOLE_BAD_ANSWER.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: malformed answer from the console for all views of user 'alice': 'views[1].name' is not lower-case: B", e.getMessage());
        assertThrows(TrinoException.class, () -> metadata.getViews(alice(), Optional.of("hr")));
        assertThrows(TrinoException.class, () -> metadata.listSchemaNames(alice()));

        // The connector's own schema is not the console's to fill.
        console.answer(ALL_VIEWS, 200, bulk(1, null, List.of("steward_internal"), 1));
        e = assertThrows(TrinoException.class, () -> metadata.listTables(alice(), Optional.empty()));
        assertEquals("Steward: malformed answer from the console for all views of user 'alice': view 'steward_internal.v0' has a name reserved by the connector", e.getMessage());

        serveAll(1, null, 1);
        assertEquals(3, metadata.listTables(alice(), Optional.empty()).size());
        assertEquals(5, console.count(ALL_VIEWS));
    }

    @Test
    void unknownUserSeesNothing()
    {
        String unknown = "{\"error\": \"user 'mallory' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}";
        console.answer("/api/trino/v1/users/mallory/views", 404, unknown);
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views/employees", 404, unknown);
        TestingSession mallory = new TestingSession("Mallory");
        assertEquals(List.of(), metadata.listSchemaNames(mallory));
        assertEquals(List.of(), metadata.listTables(mallory, Optional.empty()));
        assertEquals(Map.of(), metadata.getViews(mallory, Optional.empty()));
        assertFalse(metadata.schemaExists(mallory, "hr"));
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(mallory, new SchemaTableName("hr", "employees")));
        assertEquals(PERMISSION_DENIED.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: user 'mallory' is not known to Steward", e.getMessage());
        // never cached, never taken for an older console
        assertEquals(4, console.count("/api/trino/v1/users/mallory/views"));
        assertEquals(0, console.count("/api/trino/v1/users/mallory/schemas"));
    }

    @Test
    void cacheDisabledStillBrowsesWithOneCallPerListing()
    {
        StewardMetadata uncached = new StewardMetadata(client, clock.cache(Duration.ZERO), "steward");
        serveAll(1, null, 20);
        TestingSession query = alice();
        assertEquals(60, uncached.getViews(query, Optional.empty()).size());
        assertEquals(60, uncached.listTables(query, Optional.empty()).size());
        assertCalls(Map.of(Endpoint.ALL_VIEWS, 2L));
    }

    @Test
    void fiveThousandViews()
    {
        // 50 schemas of 100 views, each of about the size the console's compiler writes (~1.5 kB): 7-8 MB.
        List<String> schemas = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            schemas.add("schema_%02d".formatted(i));
        }
        String body = bulk(1, null, schemas, 100, 1200);
        console.answer(ALL_VIEWS, 200, body);

        long start = System.nanoTime();
        TestingSession cold = alice();
        assertTrue(metadata.schemaExists(cold, "schema_07"));
        assertEquals(100, metadata.listTables(cold, Optional.of("schema_07")).size());
        assertEquals(5_000, metadata.getRelationTypes(cold, Optional.empty()).size());
        List<RelationColumnsMetadata> columns = new ArrayList<>();
        metadata.streamRelationColumns(cold, Optional.empty(), names -> names).forEachRemaining(columns::add);
        assertEquals(5_000, columns.size());
        Duration coldTime = Duration.ofNanos(System.nanoTime() - start);

        start = System.nanoTime();
        TestingSession warm = alice();
        assertEquals(5_000, metadata.listTables(warm, Optional.empty()).size());
        assertEquals(5_000, metadata.getViews(warm, Optional.empty()).size());
        Duration warmTime = Duration.ofNanos(System.nanoTime() - start);

        assertCalls(Map.of(Endpoint.EPOCH, 2L, Endpoint.ALL_VIEWS, 1L));
        System.out.printf("5,000 views: bulk answer %d bytes; cold browse %d ms, cached browse %d ms%n", body.length(), coldTime.toMillis(), warmTime.toMillis());
        // Generous bounds: a shared CI machine, not a benchmark.
        assertTrue(coldTime.compareTo(Duration.ofSeconds(10)) < 0, "cold: " + coldTime);
        assertTrue(warmTime.compareTo(Duration.ofSeconds(2)) < 0, "warm: " + warmTime);
    }

    private void browse(TestingSession query)
    {
        metadata.listSchemaNames(query);
        metadata.schemaExists(query, "hr");
        metadata.listTables(query, Optional.of("hr"));
        metadata.getViews(query, Optional.empty());
        metadata.streamRelationColumns(query, Optional.empty(), names -> names).forEachRemaining(ignored -> {});
    }

    private void serveAll(long epoch, String validUntil, int perSchema)
    {
        console.epoch(epoch);
        console.answer(ALL_VIEWS, 200, bulk(epoch, validUntil, SCHEMAS, perSchema));
    }

    private static String bulk(long epoch, String validUntil, List<String> schemas, int perSchema)
    {
        return bulk(epoch, validUntil, schemas, perSchema, 0);
    }

    // Views v0..v(n-1) in each schema; v0 has no owner. padding lengthens each SQL text by that many characters.
    private static String bulk(long epoch, String validUntil, List<String> schemas, int perSchema, int padding)
    {
        String pad = padding == 0 ? "" : " /* " + "x".repeat(padding) + " */";
        StringBuilder views = new StringBuilder();
        for (String schema : schemas) {
            for (int i = 0; i < perSchema; i++) {
                if (!views.isEmpty()) {
                    views.append(",\n");
                }
                views.append("""
                        {"schema": "%s", "name": "v%d", "sql": "SELECT %d AS \\"x\\"%s", "columns": [{"name": "x", "type": "integer"}, {"name": "y", "type": "varchar(25)"}], %s"comment": "view %s.v%d"}"""
                        .formatted(schema, i, i, pad, i == 0 ? "" : "\"owner\": \"steward_svc\", ", schema, i));
            }
        }
        return "{\"epoch\": %d, \"validUntil\": %s, \"views\": [%s]}".formatted(epoch, validUntil == null ? "null" : "\"" + validUntil + "\"", views);
    }

    private static List<SchemaTableName> names(String schema, int count)
    {
        List<SchemaTableName> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add(new SchemaTableName(schema, "v" + i));
        }
        return names;
    }

    private static TestingSession alice()
    {
        return new TestingSession("alice");
    }

    private void mark()
    {
        before = counts();
    }

    private Map<Endpoint, Long> counts()
    {
        Map<Endpoint, Long> counts = new EnumMap<>(Endpoint.class);
        for (Endpoint endpoint : Endpoint.values()) {
            counts.put(endpoint, client.calls(endpoint));
        }
        return counts;
    }

    // Calls since mark(), per endpoint; endpoints not named must have had none.
    private void assertCalls(Map<Endpoint, Long> expected)
    {
        Map<Endpoint, Long> now = counts();
        Map<Endpoint, Long> actual = now.keySet().stream()
                .filter(endpoint -> now.get(endpoint) - before.get(endpoint) != 0)
                .collect(Collectors.toMap(endpoint -> endpoint, endpoint -> now.get(endpoint) - before.get(endpoint)));
        assertEquals(expected, actual);
    }
}
