package dev.steward.trino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.steward.trino.ConsoleClient.Applied;
import dev.steward.trino.ConsoleClient.AppliedMask;
import dev.steward.trino.ConsoleClient.AppliedRowFilter;
import dev.steward.trino.TestingEvents.Query;
import io.trino.spi.connector.SchemaTableName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static io.trino.spi.StandardErrorCode.TABLE_NOT_FOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The query audit's event listener against a real local HTTP server standing in for the console: what it posts,
 * that it never blocks or throws, its bounded queue, and a console that is down, slow or refusing.
 */
class TestQueryAuditListener
{
    private static final String KEY = "stw_listener_secret";
    private static final SchemaTableName EMPLOYEES = new SchemaTableName("hr", "employees");
    private static final Applied APPLIED = new Applied(
            Optional.empty(),
            Map.of("ssn", new AppliedMask("NULL", "p1", "Hide SSNs outside HR", Optional.empty())),
            List.of(new AppliedRowFilter("MATCH_ATTRIBUTE", "p2", "Rows of the user's own region", Optional.empty())));

    private record Post(String path, String authorization, String contentType, JsonNode body) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    /** when set: the console answers 200 with this many bytes, chunked (no Content-Length) */
    private final java.util.concurrent.atomic.AtomicLong hugeAnswer = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger arrived = new AtomicInteger();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Handler logHandler = new Handler()
    {
        @Override
        public void publish(LogRecord record)
        {
            warnings.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private HttpServer server;
    private QueryAudit audit;
    private QueryEventSender sender;
    private QueryAuditListener listener;

    @BeforeEach
    void setUp()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        Logger.getLogger(QueryEventSender.class.getName()).addHandler(logHandler);
        audit = new QueryAudit();
        listener = listener("http://127.0.0.1:" + server.getAddress().getPort(), "2s", "100");
    }

    @AfterEach
    void tearDown()
    {
        hold.countDown();
        listener.shutdown();
        server.stop(0);
        Logger.getLogger(QueryEventSender.class.getName()).removeHandler(logHandler);
    }

    private QueryAuditListener listener(String url, String timeout, String queueSize)
    {
        if (listener != null) {
            listener.shutdown();
        }
        QueryAuditListenerFactory factory = new QueryAuditListenerFactory(audit);
        listener = (QueryAuditListener) factory.create(Map.of(
                "steward.console-url", url,
                "steward.api-key", KEY,
                "steward.request-timeout", timeout,
                "steward.queue-size", queueSize), null);
        sender = senderOf(listener);
        return listener;
    }

    private static QueryEventSender senderOf(QueryAuditListener listener)
    {
        try {
            var field = QueryAuditListener.class.getDeclaredField("sender");
            field.setAccessible(true);
            return (QueryEventSender) field.get(listener);
        }
        catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        arrived.incrementAndGet();
        try {
            hold.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = exchange.getRequestBody().readAllBytes();
        posts.add(new Post(exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"), mapper.readTree(body)));
        if (hugeAnswer.get() > 0) {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[8192];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (OutputStream out = exchange.getResponseBody()) {
                for (long written = 0; written < hugeAnswer.get(); written += chunk.length) {
                    out.write(chunk);
                }
            }
            catch (IOException ignored) {
                // the sender stopped reading at its cap and closed the connection
            }
            return;
        }
        byte[] answer = (status.get() == 200 ? "{\"epoch\":1,\"recorded\":true}" : "{\"error\":\"no\",\"code\":\"BAD_REQUEST\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status.get(), answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    @Test
    void postsTheGovernedViewsAQueryReadWithWhatApplied()
            throws Exception
    {
        audit.epoch("q1", 42);
        audit.served("q1", "governed", EMPLOYEES, Optional.of(APPLIED), Optional.of("research"));
        // looked up, not read (DESCRIBE): not among the query's tables
        audit.served("q1", "governed", new SchemaTableName("hr", "salaries"), Optional.empty(), Optional.of("research"));
        Query query = new Query("q1", "alice", Optional.of("alice"), "SELECT * FROM governed.hr.employees", List.of(TestingEvents.table("governed", "hr", "employees"), TestingEvents.table("memory", "hr", "employees")), Optional.empty());
        listener.queryCompleted(TestingEvents.completed(query));

        Post post = awaitPosts(1).getFirst();
        assertEquals("/api/trino/v1/query-events", post.path());
        assertEquals("Bearer " + KEY, post.authorization());
        assertEquals("application/json", post.contentType());
        assertEquals(mapper.readTree("""
                {"queryId": "q1", "user": "alice", "principal": "alice", "source": "steward-e2e", "project": "research", "epoch": 42,
                 "state": "SUCCEEDED", "errorCode": null, "errorMessage": null, "query": "SELECT * FROM governed.hr.employees",
                 "queryTruncated": false, "createdAt": "2026-12-03T10:11:12Z", "endedAt": "2026-12-03T10:11:13.250Z",
                 "views": [
                   {"catalog": "governed", "schema": "hr", "name": "employees", "read": true,
                    "applied": {"project": null, "columns": {"ssn": {"method": "NULL", "policyId": "p1", "policyName": "Hide SSNs outside HR"}},
                                "rowFilters": [{"kind": "MATCH_ATTRIBUTE", "policyId": "p2", "policyName": "Rows of the user's own region"}]}},
                   {"catalog": "governed", "schema": "hr", "name": "salaries", "read": false, "applied": null}],
                 "denials": []}
                """), post.body());
        assertEquals(0, audit.size());
        awaitTrue(() -> sender.sent() == 1);
    }

    @Test
    void postsDenialsInWords()
            throws Exception
    {
        // bob named a view he may not see: the query failed
        audit.hidden("q-bob", "governed", EMPLOYEES, Optional.empty());
        listener.queryCompleted(TestingEvents.completed(new Query("q-bob", "bob", Optional.of("bob"), "SELECT * FROM governed.hr.employees", List.of(), Optional.of(
                TestingEvents.failure(TABLE_NOT_FOUND.toErrorCode(), "line 1:15: Table 'governed.hr.employees' does not exist")))));
        // alice asked for the backing table: Trino's access control refused the catalog (nothing touched governed)
        listener.queryCompleted(TestingEvents.completed(new Query("q-backing", "alice", Optional.of("alice"), "SELECT * FROM memory.hr.employees", List.of(), Optional.of(
                TestingEvents.failure(PERMISSION_DENIED.toErrorCode(), "Access Denied: Cannot access catalog memory")))));
        // the service user's key table, refused by the access rules
        listener.queryCompleted(TestingEvents.completed(new Query("q-table", "alice", Optional.of("alice"), "SELECT * FROM governed.steward_internal.hash_key", List.of(), Optional.of(
                TestingEvents.failure(PERMISSION_DENIED.toErrorCode(), "Access Denied: Cannot select from table governed.steward_internal.hash_key")))));
        // a user the console does not know
        audit.unknownUser("q-mallory", "governed");
        listener.queryCompleted(TestingEvents.completed(new Query("q-mallory", "mallory", Optional.of("steward"), "SHOW SCHEMAS FROM governed", List.of(), Optional.empty())));

        List<Post> got = awaitPosts(4);
        assertEquals(mapper.readTree("""
                [{"kind": "NOT_VISIBLE", "catalog": "governed", "schema": "hr", "name": "employees"}]"""), got.get(0).body().get("denials"));
        assertEquals("FAILED", got.get(0).body().get("state").asText());
        assertEquals("TABLE_NOT_FOUND", got.get(0).body().get("errorCode").asText());
        assertEquals(mapper.readTree("""
                [{"kind": "BACKING_CATALOG", "catalog": "memory", "message": "Access Denied: Cannot access catalog memory"}]"""), got.get(1).body().get("denials"));
        assertTrue(got.get(1).body().get("epoch").isNull());
        assertEquals(mapper.readTree("""
                [{"kind": "BACKING_CATALOG", "catalog": "governed", "table": "steward_internal.hash_key",
                  "message": "Access Denied: Cannot select from table governed.steward_internal.hash_key"}]"""), got.get(2).body().get("denials"));
        assertEquals(mapper.readTree("""
                [{"kind": "UNKNOWN_USER", "catalog": "governed"}]"""), got.get(3).body().get("denials"));
        assertEquals("steward", got.get(3).body().get("principal").asText());
    }

    @Test
    void postsNothingForQueriesThatNeitherReadAGovernedViewNorWereDenied()
            throws Exception
    {
        // a lookup that found nothing in a query that succeeded (information_schema with a name) denied nothing
        audit.hidden("q-info", "governed", EMPLOYEES, Optional.empty());
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-info", "bob", "SELECT * FROM governed.information_schema.tables WHERE table_name = 'employees'")));
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-plain", "alice", "SELECT 1")));
        // failed for another reason than access control
        listener.queryCompleted(TestingEvents.completed(new Query("q-syntax", "alice", Optional.of("alice"), "SELEC 1", List.of(), Optional.of(
                TestingEvents.failure(io.trino.spi.StandardErrorCode.SYNTAX_ERROR.toErrorCode(), "line 1:1: mismatched input 'SELEC'")))));
        Thread.sleep(300);
        assertEquals(List.of(), posts);
        assertEquals(0, sender.queued());
        assertEquals(0, audit.size());
    }

    @Test
    void masksTheKeyCleansTextTheConsoleCannotStoreAndCutsLongSql()
            throws Exception
    {
        audit.served("q-long", "governed", EMPLOYEES, Optional.of(APPLIED), Optional.empty());
        String sql = "SELECT '" + KEY + "', '\u0000', '\uD800' FROM governed.hr.employees WHERE x = '" + "y".repeat(30_000) + "'";
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-long", "alice", sql)));
        JsonNode body = awaitPosts(1).getFirst().body();
        String sent = body.get("query").asText();
        assertEquals(QueryAuditListener.MAX_QUERY_TEXT, sent.length());
        assertTrue(sent.startsWith("SELECT '***', '\uFFFD', '\uFFFD' FROM"), sent.substring(0, 40));
        assertTrue(body.get("queryTruncated").asBoolean());
    }

    @Test
    void consoleDownDropsTheRecordLogsItAndNeverBlocksOrThrows()
            throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        listener("http://127.0.0.1:" + port, "1s", "100");
        audit.served("q-down", "governed", EMPLOYEES, Optional.of(APPLIED), Optional.empty());
        // (that queryCompleted never waits for the console: aFullQueueDropsRecordsInsteadOfWaiting)
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-down", "alice", "SELECT * FROM governed.hr.employees")));
        awaitTrue(() -> sender.dropped() == 1);
        assertEquals(0, sender.sent());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("record of query q-down dropped") && w.contains("unreachable")), warnings.toString());
        assertTrue(warnings.stream().noneMatch(w -> w.contains(KEY)));
    }

    @Test
    void aFullQueueDropsRecordsInsteadOfWaiting()
            throws Exception
    {
        listener(("http://127.0.0.1:" + server.getAddress().getPort()), "10s", "2");
        hold = new CountDownLatch(1);
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            audit.served("q" + i, "governed", EMPLOYEES, Optional.of(APPLIED), Optional.empty());
            listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q" + i, "alice", "SELECT * FROM governed.hr.employees")));
            if (i == 0) {
                // the first is in flight, held by the slow console
                awaitTrue(() -> arrived.get() == 1);
            }
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "queryCompleted must not wait for a slow console");
        // one in flight, two queued, the rest dropped
        assertEquals(7, sender.dropped());
        assertEquals(2, sender.queued());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("the queue is full")), warnings.toString());
        hold.countDown();
        awaitTrue(() -> sender.sent() == 3);
        assertEquals(3, posts.size());
    }

    @Test
    void theConsolesAnswerIsReadOnlyUpToACap()
            throws Exception
    {
        hugeAnswer.set(16L * 1024 * 1024);
        audit.served("q-huge", "governed", EMPLOYEES, Optional.of(APPLIED), Optional.empty());
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-huge", "alice", "SELECT * FROM governed.hr.employees")));
        awaitTrue(() -> sender.dropped() == 1);
        assertEquals(0, sender.sent());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("record of query q-huge dropped") && w.contains("exceeded 64kB")), warnings.toString());
    }

    @Test
    void aRefusedRecordIsNotRetriedAServerErrorIsRetriedOnce()
            throws Exception
    {
        status.set(400);
        audit.served("q-400", "governed", EMPLOYEES, Optional.empty(), Optional.empty());
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-400", "alice", "SELECT * FROM governed.hr.employees")));
        awaitTrue(() -> sender.dropped() == 1);
        assertEquals(1, posts.size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("the console answered 400")), warnings.toString());

        status.set(503);
        audit.served("q-503", "governed", EMPLOYEES, Optional.empty(), Optional.empty());
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-503", "alice", "SELECT * FROM governed.hr.employees")));
        awaitTrue(() -> sender.dropped() == 2);
        assertEquals(1 + QueryEventSender.ATTEMPTS, posts.size());
    }

    @Test
    void aBrokenEventNeverEscapesTheListener()
    {
        audit.served("q-null", "governed", EMPLOYEES, Optional.empty(), Optional.empty());
        // Trino never sends null, but nothing the listener meets may fail the query or the next listener
        listener.queryCompleted(null);
        listener.shutdown();
        // after shutdown: dropped, not thrown
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-null", "alice", "SELECT * FROM governed.hr.employees")));
        assertEquals(1, sender.dropped());
    }

    @Test
    void theRefusedCatalogOrTableIsReadFromTrinosAccessDeniedMessages()
    {
        List<Optional<QueryAuditListener.Refusal>> got = new ArrayList<>();
        for (String message : List.of(
                "Access Denied: Cannot access catalog memory",
                "Access Denied: Cannot select from table memory.hr.employees",
                "Access Denied: Cannot select from columns [id, ssn] in table or view tpch.tiny.customer",
                "Access Denied: Cannot show create table for governed.steward_internal.hash_key",
                "Access Denied: Cannot view query",
                "Steward: user 'mallory' is not known to Steward")) {
            got.add(QueryAuditListener.refusal(TestingEvents.failure(PERMISSION_DENIED.toErrorCode(), message)));
        }
        assertEquals(List.of(
                Optional.of(new QueryAuditListener.Refusal("memory", Optional.empty())),
                Optional.of(new QueryAuditListener.Refusal("memory", Optional.of("hr.employees"))),
                Optional.of(new QueryAuditListener.Refusal("tpch", Optional.of("tiny.customer"))),
                Optional.of(new QueryAuditListener.Refusal("governed", Optional.of("steward_internal.hash_key"))),
                Optional.empty(),
                Optional.empty()), got);
        assertFalse(QueryAuditListener.refusal(TestingEvents.failure(TABLE_NOT_FOUND.toErrorCode(), "Cannot access catalog memory")).isPresent());
    }

    private List<Post> awaitPosts(int count)
            throws InterruptedException
    {
        awaitTrue(() -> posts.size() >= count);
        return List.copyOf(posts);
    }

    private static void awaitTrue(BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10s");
            }
            Thread.sleep(10);
        }
    }
}
