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

class TestStewardMetadata
{
    private static final String EPOCH = "/api/trino/v1/epoch";
    private static final String SCHEMAS = "/api/trino/v1/users/alice/schemas";
    private static final String HR_VIEWS = "/api/trino/v1/users/alice/schemas/hr/views";
    private static final String SALES_VIEWS = "/api/trino/v1/users/alice/schemas/sales/views";
    private static final String EMPLOYEES = "/api/trino/v1/users/alice/schemas/hr/views/employees";
    private static final String ORDERS = "/api/trino/v1/users/alice/schemas/sales/views/orders";
    private static final SchemaTableName HR_EMPLOYEES = new SchemaTableName("hr", "employees");
    private static final SchemaTableName SALES_ORDERS = new SchemaTableName("sales", "orders");
    private static final TestingSession ALICE = new TestingSession("alice");

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
        assertEquals(List.of("hr", "sales"), metadata.listSchemaNames(ALICE));
        assertTrue(metadata.schemaExists(ALICE, "hr"));
        assertTrue(metadata.schemaExists(ALICE, "HR"));
        assertFalse(metadata.schemaExists(ALICE, "finance"));
        assertEquals(List.of(HR_EMPLOYEES, SALES_ORDERS), metadata.listTables(ALICE, Optional.empty()));
        assertEquals(List.of(HR_EMPLOYEES, SALES_ORDERS), metadata.listViews(ALICE, Optional.empty()));
        assertEquals(List.of(HR_EMPLOYEES), metadata.listTables(ALICE, Optional.of("hr")));
        assertEquals(List.of(SALES_ORDERS), metadata.listViews(ALICE, Optional.of("SALES")));
        assertEquals(List.of(), metadata.listViews(ALICE, Optional.of("finance")));
        assertEquals(Map.of(HR_EMPLOYEES, RelationType.VIEW, SALES_ORDERS, RelationType.VIEW), metadata.getRelationTypes(ALICE, Optional.empty()));
        assertNull(metadata.getTableHandle(ALICE, HR_EMPLOYEES, Optional.empty(), Optional.empty()));
        // A schema the user cannot see is never asked about.
        assertEquals(0, console.count("/api/trino/v1/users/alice/schemas/finance/views"));
    }

    @Test
    void mapsViewToSecurityDefinerDefinition()
    {
        ConnectorViewDefinition view = metadata.getView(ALICE, HR_EMPLOYEES).orElseThrow();
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
        assertEquals(Optional.of("steward"), metadata.getView(ALICE, SALES_ORDERS).orElseThrow().getOwner());
    }

    @Test
    void getViewsAndInformationSchemaStreams()
    {
        Map<SchemaTableName, ConnectorViewDefinition> views = metadata.getViews(ALICE, Optional.empty());
        assertEquals(Set.of(HR_EMPLOYEES, SALES_ORDERS), views.keySet());
        assertEquals(Set.of(HR_EMPLOYEES), metadata.getViews(ALICE, Optional.of("hr")).keySet());

        List<RelationColumnsMetadata> columns = new ArrayList<>();
        metadata.streamRelationColumns(ALICE, Optional.empty(), names -> Set.of(SALES_ORDERS)).forEachRemaining(columns::add);
        assertEquals(List.of(SALES_ORDERS), columns.stream().map(RelationColumnsMetadata::name).toList());
        assertEquals(1, columns.getFirst().viewColumns().orElseThrow().size());

        List<RelationCommentMetadata> comments = new ArrayList<>();
        metadata.streamRelationComments(ALICE, Optional.of("hr"), names -> names).forEachRemaining(comments::add);
        assertEquals(List.of(RelationCommentMetadata.forRelation(HR_EMPLOYEES, Optional.of("People of the company"))), comments);
    }

    @Test
    void filteredOutViewsAreNotFetched()
    {
        metadata.streamRelationColumns(ALICE, Optional.empty(), names -> Set.of()).forEachRemaining(ignored -> {});
        assertEquals(0, console.count(EMPLOYEES));
        assertEquals(0, console.count(ORDERS));
    }

    @Test
    void cachesDefinitionsAndListingsButReadsEpochEveryCall()
    {
        metadata.getView(ALICE, HR_EMPLOYEES);
        metadata.getView(ALICE, HR_EMPLOYEES);
        metadata.listTables(ALICE, Optional.empty());
        metadata.listTables(ALICE, Optional.empty());
        assertEquals(1, console.count(EMPLOYEES));
        assertEquals(1, console.count(SCHEMAS));
        assertEquals(1, console.count(HR_VIEWS));
        assertEquals(4, console.count(EPOCH));
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
        assertEquals(TypeId.of("bigint"), metadata.getView(ALICE, HR_EMPLOYEES).orElseThrow().getColumns().getFirst().getType());
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
        metadata.getView(ALICE, HR_EMPLOYEES);
        metadata.listTables(ALICE, Optional.empty());
        // The console now masks the column differently and says so by moving the epoch.
        serveAliceAt(2);
        serveView(EMPLOYEES, 2, "varchar");
        assertEquals(TypeId.of("varchar"), metadata.getView(ALICE, HR_EMPLOYEES).orElseThrow().getColumns().getFirst().getType());
        metadata.listTables(ALICE, Optional.empty());
        assertEquals(2, console.count(EMPLOYEES));
        assertEquals(2, console.count(SCHEMAS));

        // Backwards too, as after a console reset.
        serveAliceAt(1);
        metadata.getView(ALICE, HR_EMPLOYEES);
        assertEquals(3, console.count(EMPLOYEES));
    }

    @Test
    void answerFromAnotherEpochIsNotCached()
    {
        // The definition was computed after a change the epoch read before it did not see yet.
        serveView(EMPLOYEES, 2, "varchar");
        metadata.getView(ALICE, HR_EMPLOYEES);
        metadata.getView(ALICE, HR_EMPLOYEES);
        assertEquals(2, console.count(EMPLOYEES));
    }

    @Test
    void zeroTtlAlwaysAsksAndSkipsTheEpoch()
    {
        StewardMetadata uncached = metadata("0s");
        uncached.getView(ALICE, HR_EMPLOYEES);
        uncached.getView(ALICE, HR_EMPLOYEES);
        assertEquals(2, console.count(EMPLOYEES));
        assertEquals(0, console.count(EPOCH));
    }

    @Test
    void failuresAreNotCached()
    {
        console.answer(EMPLOYEES, 500, "{\"error\": \"boom\"}");
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(ALICE, HR_EMPLOYEES));
        assertEquals(STEWARD_CONSOLE_UNAVAILABLE.toErrorCode(), e.getErrorCode());
        serveView(EMPLOYEES, 1, "bigint");
        assertTrue(metadata.getView(ALICE, HR_EMPLOYEES).isPresent());
    }

    @Test
    void failsClosedWhenTheEpochCannotBeRead()
    {
        metadata.getView(ALICE, HR_EMPLOYEES);
        console.answer(EPOCH, 503, "");
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(ALICE, HR_EMPLOYEES));
        assertTrue(e.getMessage().startsWith("Steward: the console answered 503 when asked for the epoch"), e.getMessage());
        assertThrows(TrinoException.class, () -> metadata.listTables(ALICE, Optional.empty()));
    }

    @Test
    void unknownUserSeesNothing()
    {
        String unknown = "{\"error\": \"user 'mallory' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}";
        console.answer("/api/trino/v1/users/mallory/schemas", 404, unknown);
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views/employees", 404, unknown);
        TestingSession mallory = new TestingSession("Mallory");
        assertEquals(List.of(), metadata.listSchemaNames(mallory));
        assertEquals(List.of(), metadata.listTables(mallory, Optional.empty()));
        assertEquals(Map.of(), metadata.getViews(mallory, Optional.empty()));
        assertFalse(metadata.schemaExists(mallory, "hr"));
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(mallory, HR_EMPLOYEES));
        assertEquals(PERMISSION_DENIED.toErrorCode(), e.getErrorCode());
        assertEquals("Steward: user 'mallory' is not known to Steward", e.getMessage());
    }

    @Test
    void invisibleViewDoesNotExist()
    {
        console.answer(EMPLOYEES, 404, "{\"error\": \"no such view\", \"code\": \"NO_SUCH_VIEW\"}");
        assertEquals(Optional.empty(), metadata.getView(ALICE, HR_EMPLOYEES));
        assertFalse(metadata.isView(ALICE, HR_EMPLOYEES));
        assertEquals(Optional.empty(), metadata.getView(ALICE, new SchemaTableName("hr", "..")));
        assertEquals(0, console.count("/api/trino/v1/users/alice/schemas/hr/views/.."));
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
