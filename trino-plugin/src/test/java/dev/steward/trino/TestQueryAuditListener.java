package dev.steward.trino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * The query audit's event listener against a real local HTTP server standing in for the console: what it posts
 * (in batches, within a byte cap), that it never blocks or throws, its bounded queue, a console that is down, slow
 * or refusing the batch or some of its records, and a console older than batches that takes single records only.
 */
class TestQueryAuditListener
{
    private static final String KEY = "stw_listener_secret";
    private static final SchemaTableName EMPLOYEES = new SchemaTableName("hr", "employees");
    private static final Applied APPLIED = new Applied(
            Optional.empty(),
            Map.of("ssn", new AppliedMask("NULL", "p1", "Hide SSNs outside HR", Optional.empty())),
            List.of(new AppliedRowFilter("MATCH_ATTRIBUTE", "p2", "Rows of the user's own region", Optional.empty())));

    /**
     * One POST: its raw body, whether it is a batch {@code {"events":[...]}} (else one record alone), and the
     * records in it.
     */
    private record Post(String path, String authorization, String contentType, String rawBody, boolean batch, List<JsonNode> events) {}

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    /** statuses answered first, one per POST, before {@link #status} */
    private final Queue<Integer> statuses = new ConcurrentLinkedQueue<>();
    /** query ids whose record the console refuses (an error in its result) */
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** query ids whose record the console refuses without naming it (a null queryId in its result) */
    private final Set<String> refusedUnnamed = ConcurrentHashMap.newKeySet();
    /** when set: the body of every 200 answer */
    private final AtomicReference<String> answer200 = new AtomicReference<>();
    /** when set: the console answers 200 with this many bytes, chunked (no Content-Length) */
    private final java.util.concurrent.atomic.AtomicLong hugeAnswer = new java.util.concurrent.atomic.AtomicLong();
    private final AtomicInteger arrived = new AtomicInteger();
    /**
     * when set: a console older than batches, that reads every body as one record (a batch: one without a query
     * id, answered 400 without "results")
     */
    private volatile boolean oldConsole;
    /** query ids of the records the console recorded from a body holding one record alone, in order */
    private final List<String> recordedAlone = new CopyOnWriteArrayList<>();
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
        return listener(url, timeout, queueSize, Map.of());
    }

    private QueryAuditListener listener(String url, String timeout, String queueSize, Map<String, String> extra)
    {
        if (listener != null) {
            listener.shutdown();
        }
        QueryAuditListenerFactory factory = new QueryAuditListenerFactory(audit);
        Map<String, String> properties = new HashMap<>(Map.of(
                "steward.console-url", url,
                "steward.api-key", KEY,
                "steward.request-timeout", timeout,
                "steward.queue-size", queueSize));
        properties.putAll(extra);
        listener = (QueryAuditListener) factory.create(properties, null);
        sender = senderOf(listener);
        return listener;
    }

    private QueryAuditListener batching(int batchSize, String linger)
    {
        return listener("http://127.0.0.1:" + server.getAddress().getPort(), "2s", "100", Map.of(
                "steward.batch-size", Integer.toString(batchSize),
                "steward.batch-linger", linger));
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
        JsonNode root = mapper.readTree(body);
        boolean batch = root.has("events");
        List<JsonNode> events = new ArrayList<>();
        if (batch) {
            root.get("events").forEach(events::add);
        }
        else {
            events.add(root);
        }
        posts.add(new Post(exchange.getRequestURI().getRawPath(), exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(body, StandardCharsets.UTF_8), batch, List.copyOf(events)));
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
        Integer next = statuses.poll();
        int code = next == null ? status.get() : next;
        String text;
        if (code != 200) {
            text = "{\"error\":\"no\",\"code\":\"BAD_REQUEST\"}";
        }
        else if (oldConsole || !batch) {
            // One record: how a console older than batches reads any body, and a newer one a body that is no batch.
            JsonNode queryId = root.get("queryId");
            if (queryId == null || !queryId.isTextual()) {
                code = 400;
                text = "{\"error\":\"'queryId': Required\",\"code\":\"BAD_REQUEST\"}";
            }
            else if (refused.contains(queryId.asText())) {
                code = 400;
                text = "{\"error\":\"invalid record: 'views' is not an array\",\"code\":\"BAD_REQUEST\"}";
            }
            else {
                recordedAlone.add(queryId.asText());
                text = mapper.writeValueAsString(mapper.createObjectNode().put("epoch", 1).put("recorded", true).put("queryId", queryId.asText()));
            }
        }
        else if (answer200.get() != null) {
            text = answer200.get();
        }
        else {
            // {"results":[{"queryId":"q1","recorded":true},{"queryId":"q2","error":"invalid record"}]}
            ObjectNode reply = mapper.createObjectNode();
            ArrayNode results = reply.putArray("results");
            for (JsonNode event : events) {
                String queryId = event.get("queryId").asText();
                ObjectNode result = results.addObject().put("queryId", queryId);
                if (refusedUnnamed.contains(queryId)) {
                    result.putNull("queryId").put("error", "'queryId' must be a string");
                }
                else if (refused.contains(queryId)) {
                    result.put("error", "invalid record: 'views' is not an array");
                }
                else {
                    result.put("recorded", true);
                }
            }
            text = mapper.writeValueAsString(reply);
        }
        byte[] answer = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(code, answer.length);
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

        awaitRecords(1);
        Post post = posts.getFirst();
        assertEquals("/api/trino/v1/query-events", post.path());
        assertEquals("Bearer " + KEY, post.authorization());
        assertEquals("application/json", post.contentType());
        assertTrue(post.rawBody().startsWith("{\"events\":[{\"queryId\":\"q1\","), post.rawBody());
        assertTrue(post.rawBody().endsWith("}]}"), post.rawBody());
        assertEquals(1, post.events().size());
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
                """), post.events().getFirst());
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

        List<JsonNode> got = awaitRecords(4);
        assertEquals(mapper.readTree("""
                [{"kind": "NOT_VISIBLE", "catalog": "governed", "schema": "hr", "name": "employees"}]"""), got.get(0).get("denials"));
        assertEquals("FAILED", got.get(0).get("state").asText());
        assertEquals("TABLE_NOT_FOUND", got.get(0).get("errorCode").asText());
        assertEquals(mapper.readTree("""
                [{"kind": "BACKING_CATALOG", "catalog": "memory", "message": "Access Denied: Cannot access catalog memory"}]"""), got.get(1).get("denials"));
        assertTrue(got.get(1).get("epoch").isNull());
        assertEquals(mapper.readTree("""
                [{"kind": "BACKING_CATALOG", "catalog": "governed", "table": "steward_internal.hash_key",
                  "message": "Access Denied: Cannot select from table governed.steward_internal.hash_key"}]"""), got.get(2).get("denials"));
        assertEquals(mapper.readTree("""
                [{"kind": "UNKNOWN_USER", "catalog": "governed"}]"""), got.get(3).get("denials"));
        assertEquals("steward", got.get(3).get("principal").asText());
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
        JsonNode body = awaitRecords(1).getFirst();
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
        // no linger: the first record is in flight as soon as it is queued
        listener(("http://127.0.0.1:" + server.getAddress().getPort()), "10s", "2", Map.of("steward.batch-linger", "0ms"));
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
        assertEquals(List.of("q0", "q1", "q2"), records().stream().map(record -> record.get("queryId").asText()).toList());
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
        String cap = StewardConfig.formatSize(QueryEventSender.MAX_REPLY_SIZE + QueryEventSender.MAX_REPLY_SIZE_PER_RECORD);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("record of query q-huge dropped") && w.contains("exceeded " + cap)), warnings.toString());
    }

    @Test
    void aRefusedRecordIsNotRetriedAServerErrorIsRetriedOnce()
            throws Exception
    {
        // A 400 without "results" to the batch: sent again alone (as to a console older than batches), refused again.
        status.set(400);
        audit.served("q-400", "governed", EMPLOYEES, Optional.empty(), Optional.empty());
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-400", "alice", "SELECT * FROM governed.hr.employees")));
        awaitTrue(() -> sender.dropped() == 1);
        assertEquals(List.of(true, false), posts.stream().map(Post::batch).toList());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("record of query q-400 dropped: the console answered 400")), warnings.toString());

        status.set(503);
        audit.served("q-503", "governed", EMPLOYEES, Optional.empty(), Optional.empty());
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query("q-503", "alice", "SELECT * FROM governed.hr.employees")));
        awaitTrue(() -> sender.dropped() == 2);
        assertEquals(2 + QueryEventSender.ATTEMPTS, posts.size());
        assertEquals(0, sender.sent());
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

    @Test
    void recordsSubmittedTogetherArriveInOnePost()
            throws Exception
    {
        // Batches of 3 and a linger far longer than the test: a batch goes when it is full.
        batching(3, "10s");
        for (int i = 0; i < 6; i++) {
            complete("q" + i);
        }
        awaitTrue(() -> sender.sent() == 6);
        assertEquals(2, posts.size());
        assertEquals(List.of(List.of("q0", "q1", "q2"), List.of("q3", "q4", "q5")), posts.stream().map(TestQueryAuditListener::queryIds).toList());
        assertEquals(0, sender.dropped());
    }

    @Test
    void theDefaultLingerGathersWhatArrivesMeanwhile()
            throws Exception
    {
        // The first POST is held by the console: what is submitted meanwhile goes in the next one, together.
        hold = new CountDownLatch(1);
        complete("q-first");
        awaitTrue(() -> arrived.get() == 1);
        for (int i = 0; i < 5; i++) {
            complete("q" + i);
        }
        assertEquals(5, sender.queued());
        hold.countDown();
        awaitTrue(() -> sender.sent() == 6);
        assertEquals(List.of(List.of("q-first"), List.of("q0", "q1", "q2", "q3", "q4")), posts.stream().map(TestQueryAuditListener::queryIds).toList());
    }

    @Test
    void aRecordTheConsoleRefusesIsDroppedTheOthersSent()
            throws Exception
    {
        batching(4, "10s");
        refused.add("q-bad");
        // matched by position: the console could not read this one's query id
        refusedUnnamed.add("q-anon");
        complete("q-ok1");
        complete("q-bad");
        complete("q-anon");
        complete("q-ok2");
        awaitTrue(() -> sender.sent() + sender.dropped() == 4);
        assertEquals(2, sender.sent());
        assertEquals(2, sender.dropped());
        // refused records are not sent again
        assertEquals(1, posts.size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("record of query q-bad dropped: the console refused it: invalid record")), warnings.toString());
    }

    @Test
    void aServerErrorRetriesTheWholeBatch()
            throws Exception
    {
        batching(2, "10s");
        statuses.add(500);
        complete("qa");
        complete("qb");
        awaitTrue(() -> sender.sent() == 2);
        assertEquals(0, sender.dropped());
        assertEquals(List.of(List.of("qa", "qb"), List.of("qa", "qb")), posts.stream().map(TestQueryAuditListener::queryIds).toList());
        assertEquals(posts.get(0).rawBody(), posts.get(1).rawBody());

        // Failing every attempt: each record of the batch is dropped.
        status.set(503);
        complete("qc");
        complete("qd");
        awaitTrue(() -> sender.dropped() == 2);
        assertEquals(2, sender.sent());
        assertEquals(2 + QueryEventSender.ATTEMPTS, posts.size());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("2 records (queries qc, qd) dropped: the console answered 503")), warnings.toString());
    }

    @Test
    void noLingerSendsWhatIsQueuedAtOnce()
            throws Exception
    {
        batching(100, "0ms");
        complete("q1");
        awaitTrue(() -> sender.sent() == 1);
        complete("q2");
        awaitTrue(() -> sender.sent() == 2);
        assertEquals(List.of(List.of("q1"), List.of("q2")), posts.stream().map(TestQueryAuditListener::queryIds).toList());
        assertEquals(0, sender.dropped());
    }

    @Test
    void aBatchAnswerWithoutResultsCountsAsSentAndIsLogged()
            throws Exception
    {
        // e.g. a console that answers as it did to a single record
        answer200.set("{\"epoch\":1,\"recorded\":true}");
        complete("q-old");
        awaitTrue(() -> sender.sent() == 1);
        assertEquals(0, sender.dropped());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("answered 200 for record of query q-old but its answer has no array 'results'")), warnings.toString());
    }

    @Test
    void recordsOverTheByteCapOfABatchArriveInSeveralPosts()
            throws Exception
    {
        // Three records fit the batch size, two of 3 MB the byte cap: a batch closes before its body would exceed it.
        batching(3, "10s");
        for (int i = 0; i < 6; i++) {
            assertTrue(sender.submit("q" + i, record("q" + i, 3 * 1024 * 1024)));
        }
        assertTrue(sender.submit("q-small", record("q-small", 1_000)));
        awaitTrue(() -> sender.sent() == 7);
        assertEquals(0, sender.dropped());
        assertEquals(List.of(List.of("q0", "q1"), List.of("q2", "q3"), List.of("q4", "q5", "q-small")), posts.stream().map(TestQueryAuditListener::queryIds).toList());
        assertTrue(posts.stream().allMatch(post -> post.batch() && post.rawBody().length() <= QueryEventSender.MAX_BATCH_BYTES));
        assertEquals(0, sender.queued());
    }

    @Test
    void aRecordOverTheByteCapGoesAlone()
            throws Exception
    {
        batching(3, "10s");
        assertTrue(sender.submit("qa", record("qa", 1_000)));
        assertTrue(sender.submit("q-big", record("q-big", QueryEventSender.MAX_BATCH_BYTES + 1)));
        for (String queryId : List.of("qb", "qc", "qd")) {
            assertTrue(sender.submit(queryId, record(queryId, 1_000)));
        }
        awaitTrue(() -> sender.sent() == 5);
        assertEquals(0, sender.dropped());
        assertEquals(List.of(List.of("qa"), List.of("q-big"), List.of("qb", "qc", "qd")), posts.stream().map(TestQueryAuditListener::queryIds).toList());
    }

    @Test
    void anOldConsoleGetsTheRecordsOneByOne()
            throws Exception
    {
        oldConsole = true;
        batching(3, "10s");
        complete("q0");
        complete("q1");
        complete("q2");
        awaitTrue(() -> sender.sent() == 3);
        assertEquals(0, sender.dropped());
        assertEquals(List.of("q0", "q1", "q2"), recordedAlone);
        // the batch, refused; then each record alone, its bytes the whole body
        assertEquals(List.of(true, false, false, false), posts.stream().map(Post::batch).toList());
        assertEquals(List.of(List.of("q0", "q1", "q2"), List.of("q0"), List.of("q1"), List.of("q2")), posts.stream().map(TestQueryAuditListener::queryIds).toList());
        assertEquals(posts.get(0).rawBody(), "{\"events\":[" + String.join(",", posts.get(1).rawBody(), posts.get(2).rawBody(), posts.get(3).rawBody()) + "]}");
        assertTrue(sender.singleRecordsOnly());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("refused a batch as a console older than batches does") && w.contains("records are sent one by one")), warnings.toString());

        // Later batches go one by one at once; a record the console refuses is dropped, not sent again.
        refused.add("q-bad");
        complete("q3");
        complete("q-bad");
        complete("q4");
        awaitTrue(() -> sender.sent() + sender.dropped() == 6);
        assertEquals(5, sender.sent());
        assertEquals(1, sender.dropped());
        assertEquals(List.of("q0", "q1", "q2", "q3", "q4"), recordedAlone);
        assertEquals(7, posts.size());
        assertEquals(List.of(List.of("q3"), List.of("q-bad"), List.of("q4")), posts.subList(4, 7).stream().map(TestQueryAuditListener::queryIds).toList());
        assertTrue(posts.subList(4, 7).stream().noneMatch(Post::batch));
        assertTrue(warnings.stream().anyMatch(w -> w.contains("record of query q-bad dropped: the console answered 400")), warnings.toString());
    }

    @Test
    void aBatchOfOneToAnOldConsoleIsSentAgainAlone()
            throws Exception
    {
        oldConsole = true;
        batching(100, "0ms");
        complete("q1");
        awaitTrue(() -> sender.sent() == 1);
        complete("q2");
        awaitTrue(() -> sender.sent() == 2);
        assertEquals(0, sender.dropped());
        assertEquals(List.of("q1", "q2"), recordedAlone);
        assertEquals(List.of(true, false, false), posts.stream().map(Post::batch).toList());
    }

    @Test
    void theBatchFormIsTriedAgainEveryTenMinutes()
            throws Exception
    {
        TestingClock clock = new TestingClock(Instant.parse("2026-12-03T10:00:00Z"));
        QueryAuditConfig config = QueryAuditConfig.fromProperties(Map.of(
                "steward.console-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "steward.api-key", KEY,
                "steward.batch-size", "2",
                "steward.batch-linger", "10s"));
        oldConsole = true;
        try (QueryEventSender sender = new QueryEventSender(config, clock::nanos)) {
            sender.submit("q0", record("q0", 100));
            sender.submit("q1", record("q1", 100));
            awaitTrue(() -> sender.sent() == 2);
            assertEquals(List.of(true, false, false), posts.stream().map(Post::batch).toList());
            assertEquals(new String(record("q0", 100), StandardCharsets.UTF_8), posts.get(1).rawBody());

            // Ten minutes on, the console still older: the batch form, refused, then one by one again.
            clock.advance(QueryEventSender.BATCH_FORM_RETRY);
            sender.submit("q2", record("q2", 100));
            sender.submit("q3", record("q3", 100));
            awaitTrue(() -> sender.sent() == 4);
            assertEquals(List.of(true, false, false, true, false, false), posts.stream().map(Post::batch).toList());
            assertTrue(sender.singleRecordsOnly());

            // Upgraded meanwhile: one by one until the next try of the batch form, which stays.
            oldConsole = false;
            clock.advance(QueryEventSender.BATCH_FORM_RETRY.minusSeconds(1));
            sender.submit("q4", record("q4", 100));
            sender.submit("q5", record("q5", 100));
            awaitTrue(() -> sender.sent() == 6);
            clock.advance(Duration.ofSeconds(1));
            sender.submit("q6", record("q6", 100));
            sender.submit("q7", record("q7", 100));
            awaitTrue(() -> sender.sent() == 8);
            assertFalse(sender.singleRecordsOnly());
            sender.submit("q8", record("q8", 100));
            sender.submit("q9", record("q9", 100));
            awaitTrue(() -> sender.sent() == 10);
            assertEquals(List.of(List.of("q4"), List.of("q5"), List.of("q6", "q7"), List.of("q8", "q9")), posts.subList(6, posts.size()).stream().map(TestQueryAuditListener::queryIds).toList());
            assertEquals(List.of("q0", "q1", "q2", "q3", "q4", "q5"), recordedAlone);
            assertEquals(0, sender.dropped());
        }
    }

    /**
     * A record {@code {"queryId":"...","pad":"xx...x"}} of exactly {@code size} bytes.
     */
    private static byte[] record(String queryId, int size)
    {
        String start = "{\"queryId\":\"" + queryId + "\",\"pad\":\"";
        String end = "\"}";
        return (start + "x".repeat(size - start.length() - end.length()) + end).getBytes(StandardCharsets.UTF_8);
    }

    private void complete(String queryId)
    {
        audit.served(queryId, "governed", EMPLOYEES, Optional.empty(), Optional.empty());
        listener.queryCompleted(TestingEvents.completed(TestingEvents.query(queryId, "alice", "SELECT * FROM governed.hr.employees")));
    }

    private static List<String> queryIds(Post post)
    {
        return post.events().stream().map(event -> event.get("queryId").asText()).toList();
    }

    private List<JsonNode> records()
    {
        return posts.stream().flatMap(post -> post.events().stream()).toList();
    }

    private List<JsonNode> awaitRecords(int count)
            throws InterruptedException
    {
        awaitTrue(() -> records().size() >= count);
        return records();
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
