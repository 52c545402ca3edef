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
 * Catalog browsing from the bulk endpoint (names in one schema from that schema's listing while the bulk answer is
 * not cached), per-query epoch reads and validUntil, counted per endpoint.
 */
class TestCatalogBrowsing
{
    private static final String EPOCH = "/api/trino/v1/epoch";
    private static final String ALL_VIEWS = "/api/trino/v1/users/alice/views";
    private static final String EMPLOYEES = "/api/trino/v1/users/alice/schemas/hr/views/employees";
    private static final String HR_VIEWS = "/api/trino/v1/users/alice/schemas/hr/views";
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
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views", 404, unknown);
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views/employees", 404, unknown);
        TestingSession mallory = new TestingSession("Mallory");
        assertEquals(List.of(), metadata.listSchemaNames(mallory));
        assertEquals(List.of(), metadata.listTables(mallory, Optional.empty()));
        assertEquals(Map.of(), metadata.getViews(mallory, Optional.empty()));
        // SHOW TABLES FROM hr: the schema's listing, which says the same
        assertFalse(metadata.schemaExists(mallory, "hr"));
        assertEquals(Map.of(), metadata.getRelationTypes(mallory, Optional.of("hr")));
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(mallory, new SchemaTableName("hr", "employees")));
        assertEquals(PERMISSION_DENIED.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: user 'mallory' is not known to Steward", e.getMessage());
        // never cached, never taken for an older console
        assertEquals(3, console.count("/api/trino/v1/users/mallory/views"));
        assertEquals(2, console.count("/api/trino/v1/users/mallory/schemas/hr/views"));
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
        assertEquals(20, uncached.listTables(query, Optional.of("hr")).size());
        assertCalls(Map.of(Endpoint.ALL_VIEWS, 2L, Endpoint.VIEWS, 1L));
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
        serveNames(1, null, "schema_07", 100);

        // SHOW TABLES FROM schema_07 with a cold cache: that schema's names, not the whole bulk answer.
        long start = System.nanoTime();
        TestingSession showTables = alice();
        assertTrue(metadata.schemaExists(showTables, "schema_07"));
        assertEquals(100, metadata.getRelationTypes(showTables, Optional.of("schema_07")).size());
        Duration showTablesTime = Duration.ofNanos(System.nanoTime() - start);
        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.VIEWS, 1L));

        start = System.nanoTime();
        TestingSession cold = alice();
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

        assertCalls(Map.of(Endpoint.EPOCH, 3L, Endpoint.VIEWS, 1L, Endpoint.ALL_VIEWS, 1L));
        System.out.printf("5,000 views: bulk answer %d bytes; cold SHOW TABLES of one schema %d ms, cold browse %d ms, cached browse %d ms%n",
                body.length(), showTablesTime.toMillis(), coldTime.toMillis(), warmTime.toMillis());
        // Generous bounds: a shared CI machine, not a benchmark.
        assertTrue(showTablesTime.compareTo(Duration.ofSeconds(2)) < 0, "SHOW TABLES: " + showTablesTime);
        assertTrue(coldTime.compareTo(Duration.ofSeconds(10)) < 0, "cold: " + coldTime);
        assertTrue(warmTime.compareTo(Duration.ofSeconds(2)) < 0, "warm: " + warmTime);
    }

    @Test
    void oneSchemaWithAColdCacheIsListedFromItsNamesAlone()
    {
        serveAll(1, null, 40);
        // SHOW TABLES FROM hr (schemaExists, then getRelationTypes of the schema) and the other name-only listings.
        TestingSession query = alice();
        assertTrue(metadata.schemaExists(query, "hr"));
        assertEquals(names("hr", 40), List.copyOf(metadata.getRelationTypes(query, Optional.of("hr")).keySet()));
        assertEquals(Set.of(RelationType.VIEW), Set.copyOf(metadata.getRelationTypes(query, Optional.of("hr")).values()));
        assertEquals(names("hr", 40), metadata.listTables(query, Optional.of("HR")));
        assertEquals(names("hr", 40), metadata.listViews(query, Optional.of("hr")));
        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.VIEWS, 1L));
        assertEquals(1, console.count(HR_VIEWS));

        // Kept like the listing of an older console: the next query makes no call but the epoch's.
        mark();
        TestingSession next = alice();
        assertTrue(metadata.schemaExists(next, "hr"));
        assertEquals(names("hr", 40), metadata.listTables(next, Optional.of("hr")));
        assertCalls(Map.of(Endpoint.EPOCH, 1L));

        // A schema the user sees nothing in does not exist; the connector's own schema and dot segments are
        // never asked about.
        mark();
        console.answer("/api/trino/v1/users/alice/schemas/nope/views", 200, names(1, null, List.of()));
        TestingSession other = alice();
        assertFalse(metadata.schemaExists(other, "nope"));
        assertEquals(List.of(), metadata.listTables(other, Optional.of("nope")));
        for (String reserved : List.of(HashKeyTable.SCHEMA, ".", "..")) {
            assertFalse(metadata.schemaExists(other, reserved));
            assertEquals(List.of(), metadata.listTables(other, Optional.of(reserved)));
            assertEquals(Map.of(), metadata.getRelationTypes(other, Optional.of(reserved)));
        }
        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.VIEWS, 1L));

        // All schemas still take the bulk answer, which then serves every schema (also one not listed before).
        mark();
        TestingSession all = alice();
        assertEquals(SCHEMAS.size() * 40, metadata.getRelationTypes(all, Optional.empty()).size());
        assertEquals(names("sales", 40), metadata.listTables(all, Optional.of("sales")));
        assertTrue(metadata.schemaExists(all, "finance"));
        assertFalse(metadata.schemaExists(all, "nope"));
        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.ALL_VIEWS, 1L));
    }

    @Test
    void cachedBulkAnswerServesOneSchemaWithoutACall()
    {
        serveAll(1, null, 5);
        // information_schema.columns, or getViews: the bulk answer
        metadata.streamRelationColumns(alice(), Optional.empty(), names -> names).forEachRemaining(ignored -> {});
        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.ALL_VIEWS, 1L));

        mark();
        TestingSession query = alice();
        assertTrue(metadata.schemaExists(query, "sales"));
        assertEquals(names("sales", 5), metadata.listTables(query, Optional.of("sales")));
        assertEquals(names("hr", 5), metadata.listViews(query, Optional.of("hr")));
        assertEquals(names("finance", 5), List.copyOf(metadata.getRelationTypes(query, Optional.of("finance")).keySet()));
        assertEquals(List.of(), metadata.listTables(query, Optional.of("nope")));
        assertCalls(Map.of(Endpoint.EPOCH, 1L));

        // Definitions of one schema still come from the bulk answer, fetched when not cached.
        mark();
        console.answer("/api/trino/v1/users/bob/views", 200, bulk(1, null, List.of("hr"), 2));
        TestingSession bob = new TestingSession("bob");
        assertEquals(2, metadata.getViews(bob, Optional.of("hr")).size());
        assertEquals(2, metadata.listTables(bob, Optional.of("hr")).size());
        assertCalls(Map.of(Endpoint.EPOCH, 1L, Endpoint.ALL_VIEWS, 1L));
    }

    @Test
    void namesOfOneSchemaFollowTheEpochAndValidUntil()
    {
        Instant t = START.plusSeconds(30);
        serveNames(1, t.toString(), "hr", 3);
        assertEquals(names("hr", 3), metadata.listTables(alice(), Optional.of("hr")));
        clock.advance(Duration.ofSeconds(29));
        assertEquals(names("hr", 3), metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(1, console.count(HR_VIEWS));

        // At T a subscription has expired, though no write moved the epoch.
        serveNames(1, null, "hr", 2);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(names("hr", 2), metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(2, console.count(HR_VIEWS));

        // A governance write: the next query asks again.
        console.epoch(2);
        serveNames(2, null, "hr", 1);
        assertEquals(names("hr", 1), metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(names("hr", 1), metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(3, console.count(HR_VIEWS));

        // An answer computed at another epoch than the query's read is served but not kept.
        console.epoch(3);
        serveNames(4, null, "hr", 4);
        assertEquals(names("hr", 4), metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(names("hr", 4), metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(5, console.count(HR_VIEWS));
        assertEquals(0, console.count(ALL_VIEWS));
    }

    @Test
    void namesOfOneSchemaAreLowerCasedAndAReservedNameFailsTheQuery()
    {
        console.answer(HR_VIEWS, 200, names(1, null, List.of("Employees", "employees", "Orders")));
        assertEquals(List.of(new SchemaTableName("hr", "employees"), new SchemaTableName("hr", "orders")), metadata.listTables(alice(), Optional.of("hr")));

        console.epoch(2);
        console.answer(HR_VIEWS, 200, names(2, null, List.of("employees", "..")));
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(STEWARD_CONSOLE_BAD_ANSWER.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: malformed answer from the console for the views of user 'alice' in schema 'hr': view 'hr...' has a name reserved by the connector", e.getMessage());
        // not cached
        assertThrows(TrinoException.class, () -> metadata.schemaExists(alice(), "hr"));
        assertEquals(3, console.count(HR_VIEWS));
    }

    private void browse(TestingSession query)
    {
        metadata.listSchemaNames(query);
        metadata.schemaExists(query, "hr");
        metadata.listTables(query, Optional.of("hr"));
        metadata.getViews(query, Optional.empty());
        metadata.streamRelationColumns(query, Optional.empty(), names -> names).forEachRemaining(ignored -> {});
    }

    // The bulk answer and each schema's names, as a console has both.
    private void serveAll(long epoch, String validUntil, int perSchema)
    {
        console.epoch(epoch);
        console.answer(ALL_VIEWS, 200, bulk(epoch, validUntil, SCHEMAS, perSchema));
        for (String schema : SCHEMAS) {
            serveNames(epoch, validUntil, schema, perSchema);
        }
    }

    // Alice's views v0..v(n-1) in one schema, by name.
    private void serveNames(long epoch, String validUntil, String schema, int count)
    {
        List<String> views = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            views.add("v" + i);
        }
        console.answer("/api/trino/v1/users/alice/schemas/%s/views".formatted(schema), 200, names(epoch, validUntil, views));
    }

    private static String names(long epoch, String validUntil, List<String> views)
    {
        return "{\"epoch\": %d, \"validUntil\": %s, \"views\": [%s]}".formatted(
                epoch,
                validUntil == null ? "null" : "\"" + validUntil + "\"",
                views.stream().map(view -> "\"" + view + "\"").collect(Collectors.joining(", ")));
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
