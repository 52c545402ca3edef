package dev.steward.trino;

import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorViewDefinition;
import io.trino.spi.connector.ConnectorViewDefinition.ViewColumn;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_UNAVAILABLE;
import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connector against a console without the bulk endpoint (FakeConsole answers 404 without a code to routes it
 * was not given): per-schema listings and per-view definitions, as before the bulk endpoint existed. The bulk path
 * is in {@link TestCatalogBrowsing}.
 */
class TestStewardMetadata
{
    private static final String EPOCH = "/api/trino/v1/epoch";
    private static final String SCHEMAS = "/api/trino/v1/users/alice/schemas";
    private static final String HR_VIEWS = "/api/trino/v1/users/alice/schemas/hr/views";
    private static final String SALES_VIEWS = "/api/trino/v1/users/alice/schemas/sales/views";
    private static final String EMPLOYEES = "/api/trino/v1/users/alice/schemas/hr/views/employees";
    private static final String ORDERS = "/api/trino/v1/users/alice/schemas/sales/views/orders";
    private static final String ALL_VIEWS = "/api/trino/v1/users/alice/views";
    private static final SchemaTableName HR_EMPLOYEES = new SchemaTableName("hr", "employees");
    private static final SchemaTableName SALES_ORDERS = new SchemaTableName("sales", "orders");

    private FakeConsole console;
    private ConsoleClient client;
    private StewardMetadata metadata;

    @BeforeEach
    void setUp()
            throws Exception
    {
        console = FakeConsole.start();
        metadata = metadata("60s");
        serveAliceAt(1);
    }

    @AfterEach
    void tearDown()
    {
        client.close();
        console.close();
    }

    @Test
    void listsVisibleSchemasAndViews()
    {
        assertEquals(List.of("hr", "sales"), metadata.listSchemaNames(alice()));
        assertTrue(metadata.schemaExists(alice(), "hr"));
        assertTrue(metadata.schemaExists(alice(), "HR"));
        assertFalse(metadata.schemaExists(alice(), "finance"));
        assertEquals(List.of(HR_EMPLOYEES, SALES_ORDERS), metadata.listTables(alice(), Optional.empty()));
        assertEquals(List.of(HR_EMPLOYEES, SALES_ORDERS), metadata.listViews(alice(), Optional.empty()));
        assertEquals(List.of(HR_EMPLOYEES), metadata.listTables(alice(), Optional.of("hr")));
        assertEquals(List.of(SALES_ORDERS), metadata.listViews(alice(), Optional.of("SALES")));
        assertEquals(List.of(), metadata.listViews(alice(), Optional.of("finance")));
        assertEquals(Map.of(HR_EMPLOYEES, RelationType.VIEW, SALES_ORDERS, RelationType.VIEW), metadata.getRelationTypes(alice(), Optional.empty()));
        assertNull(metadata.getTableHandle(alice(), HR_EMPLOYEES, Optional.empty(), Optional.empty()));
        // A schema the cached schema list lacks is never asked about.
        assertEquals(0, console.count("/api/trino/v1/users/alice/schemas/finance/views"));
    }

    @Test
    void showTablesOfOneSchemaWithAColdCacheAsksForItsNamesOnly()
    {
        // schemaExists, then getRelationTypes of the schema: neither the bulk answer nor the schema list.
        TestingSession query = alice();
        assertTrue(metadata.schemaExists(query, "HR"));
        assertEquals(Map.of(HR_EMPLOYEES, RelationType.VIEW), metadata.getRelationTypes(query, Optional.of("hr")));
        assertEquals(List.of(SALES_ORDERS), metadata.listViews(query, Optional.of("sales")));
        assertEquals(List.of(1L, 1L, 0L, 0L, 1L), List.of(console.count(EPOCH), console.count(HR_VIEWS), console.count(SCHEMAS), console.count(ALL_VIEWS), console.count(SALES_VIEWS)));
    }

    @Test
    void mapsViewToSecurityDefinerDefinition()
    {
        ConnectorViewDefinition view = metadata.getView(alice(), HR_EMPLOYEES).orElseThrow();
        assertEquals("SELECT \"id\", \"name\", \"salary\" FROM \"memory\".\"hr\".\"employees\"", view.getOriginalSql());
        assertEquals(Optional.empty(), view.getCatalog());
        assertEquals(Optional.empty(), view.getSchema());
        assertEquals(List.of("id", "name", "salary"), view.getColumns().stream().map(ViewColumn::getName).toList());
        assertEquals(List.of(TypeId.of("bigint"), TypeId.of("varchar(25)"), TypeId.of("decimal(12,2)")), view.getColumns().stream().map(ViewColumn::getType).toList());
        assertEquals(Optional.of("People of the company"), view.getComment());
        assertEquals(Optional.of("steward_svc"), view.getOwner());
        assertFalse(view.isRunAsInvoker());
        assertEquals(List.of(), view.getPath());
    }

    @Test
    void ownerDefaultsToServiceUser()
    {
        assertEquals(Optional.of("steward"), metadata.getView(alice(), SALES_ORDERS).orElseThrow().getOwner());
    }

    @Test
    void getViewsAndInformationSchemaStreams()
    {
        Map<SchemaTableName, ConnectorViewDefinition> views = metadata.getViews(alice(), Optional.empty());
        assertEquals(Set.of(HR_EMPLOYEES, SALES_ORDERS), views.keySet());
        assertEquals(Set.of(HR_EMPLOYEES), metadata.getViews(alice(), Optional.of("hr")).keySet());

        List<RelationColumnsMetadata> columns = new ArrayList<>();
        metadata.streamRelationColumns(alice(), Optional.empty(), names -> Set.of(SALES_ORDERS)).forEachRemaining(columns::add);
        assertEquals(List.of(SALES_ORDERS), columns.stream().map(RelationColumnsMetadata::name).toList());
        assertEquals(1, columns.getFirst().viewColumns().orElseThrow().size());

        List<RelationCommentMetadata> comments = new ArrayList<>();
        metadata.streamRelationComments(alice(), Optional.of("hr"), names -> names).forEachRemaining(comments::add);
        assertEquals(List.of(RelationCommentMetadata.forRelation(HR_EMPLOYEES, Optional.of("People of the company"))), comments);
    }

    @Test
    void filteredOutViewsAreNotFetched()
    {
        metadata.streamRelationColumns(alice(), Optional.empty(), names -> Set.of()).forEachRemaining(ignored -> {});
        assertEquals(0, console.count(EMPLOYEES));
        assertEquals(0, console.count(ORDERS));
    }

    @Test
    void cachesDefinitionsAndListingsButReadsEpochEveryQuery()
    {
        metadata.getView(alice(), HR_EMPLOYEES);
        metadata.getView(alice(), HR_EMPLOYEES);
        metadata.listTables(alice(), Optional.empty());
        metadata.listTables(alice(), Optional.empty());
        assertEquals(1, console.count(EMPLOYEES));
        assertEquals(1, console.count(SCHEMAS));
        assertEquals(1, console.count(HR_VIEWS));
        assertEquals(4, console.count(EPOCH));
    }

    @Test
    void olderConsoleIsAskedPerSchemaAndPerViewAndForTheBulkAnswerAgainLater()
    {
        TestingClock clock = new TestingClock(Instant.parse("2026-06-01T12:00:00Z"));
        StewardMetadata legacy = new StewardMetadata(client, clock.cache(Duration.ofSeconds(60)), "steward");
        assertEquals(Set.of(HR_EMPLOYEES, SALES_ORDERS), legacy.getViews(alice(), Optional.empty()).keySet());
        assertEquals(List.of(1L, 1L, 1L, 1L, 1L, 1L), List.of(console.count(ALL_VIEWS), console.count(SCHEMAS), console.count(HR_VIEWS),
                console.count(SALES_VIEWS), console.count(EMPLOYEES), console.count(ORDERS)));

        // Past the TTL the listings are asked for again, the missing endpoint is not.
        clock.advance(Duration.ofSeconds(60));
        legacy.listTables(alice(), Optional.empty());
        assertEquals(1, console.count(ALL_VIEWS));
        assertEquals(2, console.count(SCHEMAS));

        // After BULK_RETRY it is, and an upgraded console answers it.
        clock.advance(StewardMetadata.BULK_RETRY);
        console.answer(ALL_VIEWS, 200, """
                {"epoch": 1, "views": [{"schema": "hr", "name": "employees", "sql": "SELECT 1 x", "columns": [{"name": "x", "type": "integer"}]}]}
                """);
        assertEquals(List.of(HR_EMPLOYEES), legacy.listTables(alice(), Optional.empty()));
        assertEquals(2, console.count(ALL_VIEWS));
        assertEquals(2, console.count(SCHEMAS));
    }

    @Test
    void listingsAndDefinitionsHonourValidUntil()
    {
        TestingClock clock = new TestingClock(Instant.parse("2026-06-01T12:00:00Z"));
        StewardMetadata timed = new StewardMetadata(client, clock.cache(Duration.ofSeconds(60)), "steward");
        console.answer(SCHEMAS, 200, "{\"epoch\": 1, \"validUntil\": \"2026-06-01T12:00:10Z\", \"schemas\": [\"hr\", \"sales\"]}");
        console.answer(HR_VIEWS, 200, "{\"epoch\": 1, \"validUntil\": \"2026-06-01T12:00:20.000Z\", \"views\": [\"employees\"]}");
        timed.listSchemaNames(alice());
        timed.listTables(alice(), Optional.of("hr"));
        clock.advance(Duration.ofSeconds(10));
        timed.listSchemaNames(alice());
        timed.listTables(alice(), Optional.of("hr"));
        assertEquals(2, console.count(SCHEMAS));
        assertEquals(1, console.count(HR_VIEWS));
        clock.advance(Duration.ofSeconds(10));
        timed.listTables(alice(), Optional.of("hr"));
        assertEquals(2, console.count(HR_VIEWS));
    }

    @Test
    void usersAreCaseInsensitive()
    {
        metadata.getView(new TestingSession("Alice"), HR_EMPLOYEES);
        metadata.getView(new TestingSession("ALICE"), HR_EMPLOYEES);
        assertEquals(1, console.count(EMPLOYEES));
        assertTrue(console.requests().stream().noneMatch(request -> request.rawPath().contains("Alice") || request.rawPath().contains("ALICE")));
    }

    @Test
    void usersAndProjectsAreCachedSeparately()
    {
        serveView("/api/trino/v1/users/bob/schemas/hr/views/employees", 1, "integer");
        assertEquals(TypeId.of("bigint"), metadata.getView(alice(), HR_EMPLOYEES).orElseThrow().getColumns().getFirst().getType());
        assertEquals(TypeId.of("integer"), metadata.getView(new TestingSession("bob"), HR_EMPLOYEES).orElseThrow().getColumns().getFirst().getType());

        metadata.getView(new TestingSession("alice", Map.of(StewardMetadata.PROJECT_PROPERTY, "fraud")), HR_EMPLOYEES);
        assertEquals(2, console.count(EMPLOYEES));
        assertEquals(List.of("project=fraud"), console.requests().stream()
                .filter(request -> request.rawQuery() != null)
                .map(FakeConsole.Request::rawQuery)
                .toList());
    }

    @Test
    void epochChangeDropsTheCache()
    {
        metadata.getView(alice(), HR_EMPLOYEES);
        metadata.listTables(alice(), Optional.empty());
        // The console now masks the column differently and says so by moving the epoch.
        serveAliceAt(2);
        serveView(EMPLOYEES, 2, "varchar");
        assertEquals(TypeId.of("varchar"), metadata.getView(alice(), HR_EMPLOYEES).orElseThrow().getColumns().getFirst().getType());
        metadata.listTables(alice(), Optional.empty());
        assertEquals(2, console.count(EMPLOYEES));
        assertEquals(2, console.count(SCHEMAS));

        // Backwards too, as after a console reset.
        serveAliceAt(1);
        metadata.getView(alice(), HR_EMPLOYEES);
        assertEquals(3, console.count(EMPLOYEES));
    }

    @Test
    void answerFromAnotherEpochIsNotCached()
    {
        // The definition was computed after a change the epoch read before it did not see yet.
        serveView(EMPLOYEES, 2, "varchar");
        metadata.getView(alice(), HR_EMPLOYEES);
        metadata.getView(alice(), HR_EMPLOYEES);
        assertEquals(2, console.count(EMPLOYEES));
    }

    @Test
    void zeroTtlAlwaysAsksAndSkipsTheEpoch()
    {
        StewardMetadata uncached = metadata("0s");
        uncached.getView(alice(), HR_EMPLOYEES);
        uncached.getView(alice(), HR_EMPLOYEES);
        assertEquals(2, console.count(EMPLOYEES));
        assertEquals(0, console.count(EPOCH));
    }

    @Test
    void failuresAreNotCached()
    {
        console.answer(EMPLOYEES, 500, "{\"error\": \"boom\"}");
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(alice(), HR_EMPLOYEES));
        assertEquals(STEWARD_CONSOLE_UNAVAILABLE.toErrorCode(), e.getErrorCode());
        serveView(EMPLOYEES, 1, "bigint");
        assertTrue(metadata.getView(alice(), HR_EMPLOYEES).isPresent());
    }

    @Test
    void failsClosedWhenTheEpochCannotBeRead()
    {
        metadata.getView(alice(), HR_EMPLOYEES);
        console.answer(EPOCH, 503, "");
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(alice(), HR_EMPLOYEES));
        assertTrue(e.getMessage().startsWith("Steward: the console answered 503 when asked for the epoch"), e.getMessage());
        assertThrows(TrinoException.class, () -> metadata.listTables(alice(), Optional.empty()));
    }

    @Test
    void unknownUserSeesNothing()
    {
        String unknown = "{\"error\": \"user 'mallory' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}";
        console.answer("/api/trino/v1/users/mallory/schemas", 404, unknown);
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views", 404, unknown);
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views/employees", 404, unknown);
        TestingSession mallory = new TestingSession("Mallory");
        assertEquals(List.of(), metadata.listSchemaNames(mallory));
        assertEquals(List.of(), metadata.listTables(mallory, Optional.empty()));
        assertEquals(Map.of(), metadata.getViews(mallory, Optional.empty()));
        assertFalse(metadata.schemaExists(mallory, "hr"));
        assertEquals(List.of(), metadata.listTables(mallory, Optional.of("hr")));
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(mallory, HR_EMPLOYEES));
        assertEquals(PERMISSION_DENIED.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: user 'mallory' is not known to Steward", e.getMessage());
    }

    @Test
    void invisibleViewDoesNotExist()
    {
        console.answer(EMPLOYEES, 404, "{\"error\": \"no such view\", \"code\": \"NO_SUCH_VIEW\"}");
        assertEquals(Optional.empty(), metadata.getView(alice(), HR_EMPLOYEES));
        assertFalse(metadata.isView(alice(), HR_EMPLOYEES));
        assertEquals(Optional.empty(), metadata.getView(alice(), new SchemaTableName("hr", "..")));
        assertEquals(0, console.count("/api/trino/v1/users/alice/schemas/hr/views/.."));
    }

    // A new query each time: the epoch is read once per query.
    private static TestingSession alice()
    {
        return new TestingSession("alice");
    }

    private StewardMetadata metadata(String cacheTtl)
    {
        if (client != null) {
            client.close();
        }
        StewardConfig config = console.config("2s", cacheTtl);
        client = new ConsoleClient(config);
        return new StewardMetadata(client, new ViewCache(config.cacheTtl()), config.serviceUser());
    }

    private void serveAliceAt(long epoch)
    {
        console.epoch(epoch);
        console.answer(SCHEMAS, 200, "{\"epoch\": %d, \"schemas\": [\"hr\", \"sales\"]}".formatted(epoch));
        console.answer(HR_VIEWS, 200, "{\"epoch\": %d, \"views\": [\"employees\"]}".formatted(epoch));
        console.answer(SALES_VIEWS, 200, "{\"epoch\": %d, \"views\": [\"Orders\"]}".formatted(epoch));
        console.answer(EMPLOYEES, 200, """
                {"epoch": %d, "view": {
                  "sql": "SELECT \\"id\\", \\"name\\", \\"salary\\" FROM \\"memory\\".\\"hr\\".\\"employees\\"",
                  "columns": [{"name": "id", "type": "bigint"}, {"name": "name", "type": "varchar(25)"}, {"name": "salary", "type": "decimal(12,2)"}],
                  "owner": "steward_svc",
                  "comment": "People of the company"}}
                """.formatted(epoch));
        console.answer(ORDERS, 200, """
                {"epoch": %d, "view": {"sql": "SELECT 1 AS \\"n\\"", "columns": [{"name": "n", "type": "integer"}]}}
                """.formatted(epoch));
    }

    private void serveView(String path, long epoch, String firstColumnType)
    {
        console.answer(path, 200, """
                {"epoch": %d, "view": {"sql": "SELECT CAST(NULL AS %s) AS \\"id\\"", "columns": [{"name": "id", "type": "%s"}]}}
                """.formatted(epoch, firstColumnType, firstColumnType));
    }
}
