package dev.steward.trino;

import dev.steward.trino.ConsoleClient.Endpoint;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.ConnectorViewDefinition;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.type.TypeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_UNAVAILABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The epoch watch against FakeConsole, which holds the long poll like the console: queries on a trusted watch make
 * no call to the console, a governance write reaches the cache through the watch, a watch that fails or is overdue
 * is not trusted (queries read the epoch themselves and fail closed), and a console that does not hold is not
 * asked in a loop. Waits poll for what the watch does with generous limits; nothing here times the watch.
 */
class TestEpochWatch
{
    private static final String EPOCH = FakeConsole.EPOCH;
    private static final String ALL_VIEWS = "/api/trino/v1/users/alice/views";
    private static final String EMPLOYEES = "/api/trino/v1/users/alice/schemas/hr/views/employees";
    private static final SchemaTableName HR_EMPLOYEES = new SchemaTableName("hr", "employees");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    // The longest wait: no test here lasts long enough for a held request to end on its own.
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);

    private FakeConsole console;
    private ConsoleClient client;
    private EpochWatch watch;
    private StewardMetadata metadata;
    private QueryAudit audit;

    @BeforeEach
    void setUp()
            throws Exception
    {
        console = FakeConsole.start();
        serveAll(1, "bigint");
        client = new ConsoleClient(console.config("2s", "60s"));
    }

    @AfterEach
    void tearDown()
    {
        if (watch != null) {
            watch.close();
        }
        client.close();
        console.close();
    }

    @Test
    void queriesOnAWarmCacheMakeNoCallToTheConsole()
            throws Exception
    {
        start(new ViewCache(Duration.ofSeconds(60)), LONG_WAIT);
        awaitTrue(() -> watch.trustedEpoch().isPresent());
        assertEquals(1, console.epochReads());
        // The first query fills the cache.
        TestingSession first = alice();
        assertEquals(List.of(HR_EMPLOYEES), metadata.listTables(first, Optional.empty()));
        assertEquals(TypeId.of("bigint"), firstColumnType(metadata.getView(first, HR_EMPLOYEES)));
        assertEquals(1, console.count(ALL_VIEWS));
        assertEquals(1, console.epochReads());

        long before = console.requestsBesidesEpochWaits();
        long clientCalls = client.calls() - client.calls(Endpoint.EPOCH_WATCH);
        int queries = 50;
        for (int i = 0; i < queries; i++) {
            TestingSession query = alice();
            assertEquals(List.of("hr"), metadata.listSchemaNames(query));
            assertEquals(List.of(HR_EMPLOYEES), metadata.listTables(query, Optional.empty()));
            assertEquals(TypeId.of("bigint"), firstColumnType(metadata.getView(query, HR_EMPLOYEES)));
            metadata.cleanupQuery(query);
        }
        assertEquals(before, console.requestsBesidesEpochWaits(), "calls to the console besides the watch's own");
        assertEquals(clientCalls, client.calls() - client.calls(Endpoint.EPOCH_WATCH));
        assertEquals(1, console.epochReads());
        // Each query still has its epoch for the query audit.
        TestingSession audited = alice();
        metadata.getView(audited, HR_EMPLOYEES);
        assertEquals(OptionalLong.of(1), audit.take(audited.getQueryId()).orElseThrow().epoch());
    }

    @Test
    void aGovernanceWriteReachesTheCacheThroughTheWatch()
            throws Exception
    {
        start(new ViewCache(Duration.ofSeconds(60)), LONG_WAIT);
        awaitTrue(() -> watch.trustedEpoch().isPresent());
        assertEquals(TypeId.of("bigint"), firstColumnType(metadata.getView(alice(), HR_EMPLOYEES)));
        assertEquals(TypeId.of("bigint"), firstColumnType(metadata.getView(alice(), HR_EMPLOYEES)));
        assertEquals(1, viewCalls());
        long reads = console.epochReads();

        // The console masks the column differently now and says so by moving its epoch: the held request answers.
        serveAll(2, "varchar");
        awaitTrue(() -> watch.trustedEpoch().equals(OptionalLong.of(2)));
        assertEquals(TypeId.of("varchar"), firstColumnType(metadata.getView(alice(), HR_EMPLOYEES)));
        assertEquals(TypeId.of("varchar"), firstColumnType(metadata.getView(alice(), HR_EMPLOYEES)));
        assertEquals(2, viewCalls());
        // No query read the epoch itself.
        assertEquals(reads, console.epochReads());
        // The watch asks again with the epoch it now knows.
        awaitTrue(() -> console.requests().stream().anyMatch(request -> request.rawPath().equals(EPOCH) && "after=2&waitMs=30000".equals(request.rawQuery())));
    }

    @Test
    void anOverdueWatchIsNotTrustedAndQueriesFailClosed()
            throws Exception
    {
        TestingClock clock = new TestingClock(Instant.parse("2026-06-01T12:00:00Z"));
        start(clock.cache(Duration.ofSeconds(60)), LONG_WAIT);
        awaitTrue(() -> watch.trustedEpoch().isPresent());
        assertTrue(metadata.getView(alice(), HR_EMPLOYEES).isPresent());

        // The console fails every new request; the watch's held request has not answered yet.
        console.answer(EPOCH, 503, "");
        // Trusted until its next answer is due: served from the cache without a call.
        clock.advance(LONG_WAIT);
        assertTrue(metadata.getView(alice(), HR_EMPLOYEES).isPresent());
        assertEquals(1, console.epochReads());

        // Past wait + request timeout the answer is overdue: each query reads the epoch itself, and fails.
        clock.advance(Duration.ofSeconds(2));
        assertEquals(OptionalLong.empty(), watch.trustedEpoch());
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(alice(), HR_EMPLOYEES));
        assertEquals(STEWARD_CONSOLE_UNAVAILABLE.toErrorCode(), e.getErrorCode());
        assertTrue(e.getMessage().startsWith("Steward: the console answered 503 when asked for the epoch"), e.getMessage());
        assertEquals(2, console.epochReads());
    }

    @Test
    void aConsoleThatGoesAwayEndsTheTrustAndQueriesFailClosed()
            throws Exception
    {
        // A clock that does not move: the trust can only end by the failure, never by its deadline.
        TestingClock clock = new TestingClock(Instant.parse("2026-06-01T12:00:00Z"));
        start(clock.cache(Duration.ofSeconds(60)), LONG_WAIT);
        awaitTrue(() -> watch.trustedEpoch().isPresent());
        assertTrue(metadata.getView(alice(), HR_EMPLOYEES).isPresent());
        long views = viewCalls();

        // The held request fails (the connection drops), well before any deadline.
        console.close();
        awaitTrue(() -> watch.trustedEpoch().isEmpty());
        TrinoException e = assertThrows(TrinoException.class, () -> metadata.getView(alice(), HR_EMPLOYEES));
        assertEquals(STEWARD_CONSOLE_UNAVAILABLE.toErrorCode(), e.getErrorCode());
        assertTrue(e.getMessage().contains("unreachable") || e.getMessage().contains("asking the console"), e.getMessage());
        assertThrows(TrinoException.class, () -> metadata.listTables(alice(), Optional.empty()));
        assertEquals(views, viewCalls());
        assertTrue(watch.isRunning(), "the watch keeps trying");
    }

    @Test
    void theWatchIsTrustedAgainOnceTheConsoleAnswers()
            throws Exception
    {
        console.answer(EPOCH, 503, "{\"error\": \"starting\"}");
        start(new ViewCache(Duration.ofSeconds(60)), LONG_WAIT);
        awaitTrue(() -> console.epochReads() >= 1);
        assertEquals(OptionalLong.empty(), watch.trustedEpoch());
        assertThrows(TrinoException.class, () -> metadata.getView(alice(), HR_EMPLOYEES));

        // After its back-off the watch reads the epoch again without waiting.
        console.epoch(1);
        awaitTrue(() -> watch.trustedEpoch().isPresent());
        assertTrue(metadata.getView(alice(), HR_EMPLOYEES).isPresent());
    }

    @Test
    void aConsoleThatAnswersAtOnceDoesNotMakeTheWatchSpin()
            throws Exception
    {
        // An older console: it ignores after and waitMs and answers every epoch request at once.
        console.holdEpochWaits(false);
        start(new ViewCache(Duration.ofSeconds(60)), Duration.ofSeconds(20));
        awaitTrue(() -> console.epochWaits() >= 1);

        // Asked again after 1s, 2s, 4s...: a handful of calls, where a spinning watch would make thousands.
        Thread.sleep(2_500);
        long calls = console.count(EPOCH);
        assertTrue(calls <= 5, "epoch calls in ~2.5s: " + calls);
        assertEquals(OptionalLong.of(1), watch.lastEpoch());
        awaitTrue(() -> watch.trustedEpoch().isEmpty());

        // Not trusted, since it would not see the next change in time: each query reads the epoch, as before.
        assertEquals(OptionalLong.empty(), watch.trustedEpoch());
        long reads = console.epochReads();
        assertTrue(metadata.getView(alice(), HR_EMPLOYEES).isPresent());
        assertEquals(reads + 1, console.epochReads());
    }

    @Test
    void closeStopsTheThread()
            throws Exception
    {
        start(new ViewCache(Duration.ofSeconds(60)), LONG_WAIT);
        awaitTrue(() -> watch.trustedEpoch().isPresent() && console.epochWaits() >= 1);
        watch.close();
        assertFalse(watch.isRunning());
        assertEquals(OptionalLong.empty(), watch.trustedEpoch());
        long requests = console.requests().size();
        Thread.sleep(200);
        assertEquals(requests, console.requests().size());
    }

    private void start(ViewCache cache, Duration wait)
    {
        audit = new QueryAudit();
        audit.enable();
        watch = new EpochWatch("governed", client, cache, wait, Duration.ofSeconds(2));
        metadata = new StewardMetadata(client, cache, "steward", "governed", audit, Optional.of(watch));
        watch.start();
    }

    // The view's answers first, then the epoch: as the console commits a write.
    private void serveAll(long epoch, String type)
    {
        console.answer(ALL_VIEWS, 200, """
                {"epoch": %d, "views": [{"schema": "hr", "name": "employees", "sql": "SELECT CAST(NULL AS %s) AS \\"id\\"", "columns": [{"name": "id", "type": "%s"}]}]}
                """.formatted(epoch, type, type));
        console.answer(EMPLOYEES, 200, """
                {"epoch": %d, "view": {"sql": "SELECT CAST(NULL AS %s) AS \\"id\\"", "columns": [{"name": "id", "type": "%s"}]}}
                """.formatted(epoch, type, type));
        console.epoch(epoch);
    }

    private long viewCalls()
    {
        return console.count(ALL_VIEWS) + console.count(EMPLOYEES);
    }

    private static TypeId firstColumnType(Optional<ConnectorViewDefinition> view)
    {
        return view.orElseThrow().getColumns().getFirst().getType();
    }

    // A new query each time.
    private static TestingSession alice()
    {
        return new TestingSession("alice");
    }

    private static void awaitTrue(BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("condition not met within " + StewardConfig.format(PATIENCE));
            }
            Thread.sleep(10);
        }
    }
}
