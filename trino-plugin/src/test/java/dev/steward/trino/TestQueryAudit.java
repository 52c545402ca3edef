package dev.steward.trino;

import dev.steward.trino.ConsoleClient.Applied;
import dev.steward.trino.ConsoleClient.AppliedMask;
import dev.steward.trino.ConsoleClient.AppliedRowFilter;
import dev.steward.trino.QueryAudit.Decisions;
import dev.steward.trino.QueryAudit.HiddenView;
import dev.steward.trino.QueryAudit.ServedView;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.SchemaTableName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the steward catalogs record per Trino query for the query audit: the registry's bounds, and the metadata
 * recording the views it served (with what the console says applied), views not visible and unknown users.
 */
class TestQueryAudit
{
    private static final String EPOCH = "/api/trino/v1/epoch";
    private static final String ALL_VIEWS = "/api/trino/v1/users/alice/views";
    private static final String BOB_EMPLOYEES = "/api/trino/v1/users/bob/schemas/hr/views/employees";
    private static final SchemaTableName EMPLOYEES = new SchemaTableName("hr", "employees");
    private static final SchemaTableName SALARIES = new SchemaTableName("hr", "salaries");
    private static final Applied APPLIED = new Applied(
            Optional.of("research"),
            Map.of("ssn", new AppliedMask("NULL", "p1", "Hide SSNs outside HR", Optional.empty())),
            List.of(new AppliedRowFilter("MATCH_ATTRIBUTE", "p2", "Rows of the user's own region", Optional.empty())));
    private static final String VIEW_JSON = """
            {"sql": "SELECT 1 AS \\"ssn\\"", "columns": [{"name": "ssn", "type": "integer"}], "owner": "steward", "comment": "c",
             "applied": {"project": "research", "columns": {"ssn": {"method": "NULL", "policyId": "p1", "policyName": "Hide SSNs outside HR"}},
                         "rowFilters": [{"kind": "MATCH_ATTRIBUTE", "policyId": "p2", "policyName": "Rows of the user's own region", "somethingNew": 1}], "alsoNew": true}}""";

    private FakeConsole console;
    private ConsoleClient client;
    private QueryAudit audit;
    private StewardMetadata metadata;

    @BeforeEach
    void setUp()
            throws Exception
    {
        console = FakeConsole.start();
        StewardConfig config = console.config("5s", "60s");
        client = new ConsoleClient(config);
        audit = new QueryAudit();
        audit.enable();
        metadata = new StewardMetadata(client, new ViewCache(config.cacheTtl()), "steward", "governed", audit);
    }

    @AfterEach
    void tearDown()
    {
        client.close();
        console.close();
    }

    @Test
    void recordsNothingUntilAListenerIsConfigured()
    {
        QueryAudit off = new QueryAudit();
        off.served("q", "governed", EMPLOYEES, Optional.empty(), Optional.empty());
        off.epoch("q", 3);
        off.unknownUser("q", "governed");
        assertEquals(0, off.size());
        assertEquals(Optional.empty(), off.take("q"));
    }

    @Test
    void keepsEachQueryUntilTakenOnceAndDeduplicatesViews()
    {
        audit.epoch("q", 3);
        audit.served("q", "governed", EMPLOYEES, Optional.empty(), Optional.of("research"));
        audit.served("q", "governed", EMPLOYEES, Optional.of(APPLIED), Optional.of("other"));
        audit.hidden("q", "governed", SALARIES, Optional.empty());
        audit.hidden("q", "governed", SALARIES, Optional.empty());
        audit.unknownUser("q", "governed_2");
        assertEquals(
                Optional.of(new Decisions(OptionalLong.of(3), Optional.of("research"), List.of(new ServedView("governed", EMPLOYEES, Optional.of(APPLIED))),
                        List.of(new HiddenView("governed", SALARIES)), Set.of("governed_2"))),
                audit.take("q"));
        assertEquals(Optional.empty(), audit.take("q"));
    }

    @Test
    void isBoundedInQueriesAndViewsPerQuery()
    {
        AtomicLong now = new AtomicLong();
        QueryAudit bounded = new QueryAudit(now::get);
        bounded.enable();
        for (int i = 0; i < QueryAudit.MAX_VIEWS + 10; i++) {
            bounded.served("big", "governed", new SchemaTableName("s", "v" + i), Optional.empty(), Optional.empty());
        }
        assertEquals(QueryAudit.MAX_VIEWS, bounded.take("big").orElseThrow().views().size());

        // old entries (whose queries never completed) go first ...
        bounded.epoch("old", 1);
        now.addAndGet(QueryAudit.MAX_AGE_NANOS + 1);
        for (int i = 0; i < QueryAudit.MAX_QUERIES; i++) {
            now.incrementAndGet();
            bounded.epoch("q" + i, 1);
        }
        assertEquals(Optional.empty(), bounded.take("old"));
        assertEquals(QueryAudit.MAX_QUERIES, bounded.size());
        // ... then, with nothing old, the oldest tenth
        now.addAndGet(1);
        bounded.epoch("newest", 1);
        assertEquals(QueryAudit.MAX_QUERIES * 9 / 10, bounded.size());
        assertTrue(bounded.take("newest").isPresent());
        assertTrue(bounded.take("q0").isEmpty());
        assertTrue(bounded.take("q" + (QueryAudit.MAX_QUERIES - 1)).isPresent());
    }

    @Test
    void metadataRecordsTheViewsItServesWithWhatTheConsoleApplied()
    {
        console.epoch(9);
        console.answer(ALL_VIEWS, 200, """
                {"epoch": 9, "validUntil": null, "views": [%s]}""".formatted(VIEW_JSON.replaceFirst("\\{", "{\"schema\": \"hr\", \"name\": \"employees\", ")));
        TestingSession query = new TestingSession("alice", Map.of(StewardMetadata.PROJECT_PROPERTY, "research"));
        // browsing records nothing: only a view the query names is a decision about it
        assertEquals(List.of(EMPLOYEES), metadata.listTables(query, Optional.empty()));
        assertTrue(metadata.getView(query, EMPLOYEES).isPresent());
        assertTrue(metadata.getView(query, SALARIES).isEmpty());
        assertEquals(
                Optional.of(new Decisions(OptionalLong.of(9), Optional.of("research"), List.of(new ServedView("governed", EMPLOYEES, Optional.of(APPLIED))),
                        List.of(new HiddenView("governed", SALARIES)), Set.of())),
                audit.take(query.getQueryId()));

        // from the cache in the next query: the same decision, recorded for that query
        TestingSession next = new TestingSession("alice", Map.of(StewardMetadata.PROJECT_PROPERTY, "research"));
        assertTrue(metadata.getView(next, EMPLOYEES).isPresent());
        assertEquals(List.of(new ServedView("governed", EMPLOYEES, Optional.of(APPLIED))), audit.take(next.getQueryId()).orElseThrow().views());
    }

    @Test
    void aSingleViewAnswerAndAnswersWithoutOrWithMalformedAppliedNeverFailAQuery()
    {
        console.answer(BOB_EMPLOYEES, 200, """
                {"epoch": 1, "validUntil": null, "view": %s}""".formatted(VIEW_JSON));
        TestingSession bob = new TestingSession("bob");
        assertTrue(metadata.getView(bob, EMPLOYEES).isPresent());
        assertEquals(List.of(new ServedView("governed", EMPLOYEES, Optional.of(APPLIED))), audit.take(bob.getQueryId()).orElseThrow().views());

        for (String applied : List.of("", ", \"applied\": null", ", \"applied\": 3", ", \"applied\": {\"columns\": []}", ", \"applied\": {\"columns\": {\"ssn\": {\"method\": 1}}, \"rowFilters\": []}")) {
            console.epoch(console.hashCode() + applied.length());
            console.answer(BOB_EMPLOYEES, 200, """
                    {"epoch": 1, "validUntil": null, "view": {"sql": "SELECT 1 AS x", "columns": [{"name": "x", "type": "integer"}]%s}}""".formatted(applied));
            TestingSession query = new TestingSession("bob");
            assertTrue(metadata.getView(query, EMPLOYEES).isPresent(), applied);
            assertEquals(List.of(new ServedView("governed", EMPLOYEES, Optional.empty())), audit.take(query.getQueryId()).orElseThrow().views(), applied);
        }
    }

    @Test
    void recordsAUserTheConsoleDoesNotKnow()
    {
        console.answer("/api/trino/v1/users/mallory/views", 404, "{\"error\": \"user 'mallory' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}");
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views/employees", 404, "{\"error\": \"user 'mallory' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}");
        TestingSession browsing = new TestingSession("mallory");
        assertEquals(List.of(), metadata.listSchemaNames(browsing));
        assertEquals(Set.of("governed"), audit.take(browsing.getQueryId()).orElseThrow().unknownUserCatalogs());

        TestingSession reading = new TestingSession("mallory");
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(reading, EMPLOYEES));
        assertEquals("Steward: user 'mallory' is not known to Steward", e.getMessage());
        Decisions decisions = audit.take(reading.getQueryId()).orElseThrow();
        assertEquals(Set.of("governed"), decisions.unknownUserCatalogs());
        assertEquals(List.of(), decisions.hidden());
        assertEquals(OptionalLong.of(1), decisions.epoch());

        // SHOW TABLES FROM hr with a cold cache asks for that schema's names alone: the same record.
        console.answer("/api/trino/v1/users/mallory/schemas/hr/views", 404, "{\"error\": \"user 'mallory' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}");
        TestingSession showTables = new TestingSession("mallory");
        assertFalse(metadata.schemaExists(showTables, "hr"));
        assertEquals(Map.of(), metadata.getRelationTypes(showTables, Optional.of("hr")));
        assertEquals(Set.of("governed"), audit.take(showTables.getQueryId()).orElseThrow().unknownUserCatalogs());
    }

    @Test
    void withCachingOffTheAnswersEpochIsTheQuerys()
    {
        StewardConfig config = console.config("5s", "0s");
        StewardMetadata uncached = new StewardMetadata(client, new ViewCache(Duration.ZERO), "steward", "governed_x", audit);
        console.answer(BOB_EMPLOYEES, 200, """
                {"epoch": 12, "validUntil": null, "view": %s}""".formatted(VIEW_JSON));
        TestingSession bob = new TestingSession("bob");
        assertTrue(uncached.getView(bob, EMPLOYEES).isPresent());
        Decisions decisions = audit.take(bob.getQueryId()).orElseThrow();
        assertEquals(OptionalLong.of(12), decisions.epoch());
        assertEquals("governed_x", decisions.views().getFirst().catalog());
        assertTrue(config.cacheTtl().isZero());

        // Also from the names of one schema (SHOW TABLES with no bulk answer cached).
        console.answer("/api/trino/v1/users/bob/schemas/hr/views", 200, "{\"epoch\": 13, \"validUntil\": null, \"views\": [\"employees\"]}");
        TestingSession showTables = new TestingSession("bob");
        assertEquals(List.of(EMPLOYEES), uncached.listTables(showTables, Optional.of("hr")));
        assertEquals(OptionalLong.of(13), audit.take(showTables.getQueryId()).orElseThrow().epoch());
    }
}
