package dev.steward.trino;

import dev.steward.trino.ConsoleClient.Answer;
import dev.steward.trino.ConsoleClient.ConsoleColumn;
import dev.steward.trino.ConsoleClient.ConsoleView;
import dev.steward.trino.ConsoleClient.Endpoint;
import dev.steward.trino.ConsoleClient.NamedView;
import io.trino.spi.ErrorCodeSupplier;
import io.trino.spi.TrinoException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_BAD_ANSWER;
import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_REJECTED_KEY;
import static dev.steward.trino.StewardErrorCode.STEWARD_CONSOLE_UNAVAILABLE;
import static io.trino.spi.StandardErrorCode.PERMISSION_DENIED;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestConsoleClient
{
    private static final String SCHEMAS = "/api/trino/v1/users/alice/schemas";
    private static final String VIEWS = "/api/trino/v1/users/alice/schemas/hr/views";
    private static final String VIEW = "/api/trino/v1/users/alice/schemas/hr/views/employees";
    private static final String ALL_VIEWS = "/api/trino/v1/users/alice/views";
    private static final String X = "\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]";

    private FakeConsole console;
    private ConsoleClient client;

    @BeforeEach
    void setUp()
            throws Exception
    {
        console = FakeConsole.start();
        client = new ConsoleClient(console.config("2s", "60s"));
    }

    @AfterEach
    void tearDown()
    {
        client.close();
        console.close();
    }

    @Test
    void sendsBearerKeyOnEveryRequest()
    {
        console.epoch(42);
        assertEquals(42, client.epoch());
        FakeConsole.Request request = console.requests().getFirst();
        assertEquals("GET", request.method());
        assertEquals("/api/trino/v1/epoch", request.rawPath());
        assertNull(request.rawQuery());
        assertEquals("Bearer " + FakeConsole.API_KEY, request.authorization());
    }

    @Test
    void listsSchemasAndViews()
    {
        console.answer(SCHEMAS, 200, "{\"epoch\": 7, \"schemas\": [\"hr\", \"sales\"]}");
        console.answer(VIEWS, 200, "{\"epoch\": 7, \"views\": [\"employees\"]}");
        assertEquals(new Answer<>(List.of("hr", "sales"), OptionalLong.of(7)), client.schemas("alice", Optional.empty()));
        assertEquals(new Answer<>(List.of("employees"), OptionalLong.of(7)), client.views("alice", Optional.empty(), "hr"));
        assertEquals(List.of(SCHEMAS, VIEWS), console.requests().stream().map(FakeConsole.Request::rawPath).toList());
    }

    @Test
    void readsOneView()
    {
        console.answer(VIEW, 200, """
                {"epoch": 9, "view": {
                  "sql": "SELECT \\"id\\" FROM \\"memory\\".\\"hr\\".\\"employees\\"",
                  "columns": [{"name": "id", "type": "bigint"}, {"name": "salary", "type": "decimal(12,2)"}],
                  "owner": "steward", "comment": "People"}}
                """);
        Answer<Optional<ConsoleView>> answer = client.view("alice", Optional.empty(), "hr", "employees");
        assertEquals(OptionalLong.of(9), answer.epoch());
        ConsoleView view = answer.value().orElseThrow();
        assertEquals("SELECT \"id\" FROM \"memory\".\"hr\".\"employees\"", view.sql());
        assertEquals(List.of(new ConsoleColumn("id", "bigint"), new ConsoleColumn("salary", "decimal(12,2)")), view.columns());
        assertEquals(Optional.of("steward"), view.owner());
        assertEquals(Optional.of("People"), view.comment());
    }

    @Test
    void ownerAndCommentAreOptional()
    {
        console.answer(VIEW, 200, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}], \"comment\": null}}");
        ConsoleView view = client.view("alice", Optional.empty(), "hr", "employees").value().orElseThrow();
        assertEquals(Optional.empty(), view.owner());
        assertEquals(Optional.empty(), view.comment());
    }

    @Test
    void encodesPathSegmentsAndProject()
    {
        String path = "/api/trino/v1/users/o%27brien%20x%2Fy%C3%A9/schemas/a%2Fb%3Fc/views/v%25%23%2B";
        console.answer(path, 200, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]}}");
        assertTrue(client.view("o'brien x/yé", Optional.of("fraud & risk"), "a/b?c", "v%#+").value().isPresent());
        FakeConsole.Request request = console.requests().getFirst();
        assertEquals(path, request.rawPath());
        assertEquals("project=fraud%20%26%20risk", request.rawQuery());
        assertEquals("hr.x-y_z~", ConsoleClient.segment("hr.x-y_z~"));
    }

    @Test
    void unknownUserSeesNothingButCannotReadViews()
    {
        String unknown = "{\"error\": \"user 'alice' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}";
        console.answer(SCHEMAS, 404, unknown);
        console.answer(VIEWS, 404, unknown);
        console.answer(VIEW, 404, unknown);
        // nothing, marked as the answer for an unknown user (the query audit records that); no epoch: never cached
        assertEquals(new Answer<>(List.of(), OptionalLong.empty(), Optional.empty(), true), client.schemas("alice", Optional.empty()));
        assertEquals(new Answer<>(List.of(), OptionalLong.empty(), Optional.empty(), true), client.views("alice", Optional.empty(), "hr"));
        assertFails(() -> client.view("alice", Optional.empty(), "hr", "employees"), PERMISSION_DENIED, "Steward: user 'alice' is not known to Steward");
    }

    @Test
    void invisibleViewIsAbsent()
    {
        console.answer(VIEW, 404, "{\"error\": \"no such view\", \"code\": \"NO_SUCH_VIEW\"}");
        assertEquals(new Answer<>(Optional.empty(), OptionalLong.empty()), client.view("alice", Optional.empty(), "hr", "employees"));
    }

    @Test
    void notFoundWithoutKnownCodeFails()
    {
        console.answer(VIEW, 404, "<html>Not Found</html>");
        assertFails(() -> client.view("alice", Optional.empty(), "hr", "employees"), STEWARD_CONSOLE_BAD_ANSWER,
                "Steward: the console answered 404 when asked for view 'hr.employees' for user 'alice'");
        assertFails(() -> client.schemas("bob", Optional.empty()), STEWARD_CONSOLE_BAD_ANSWER,
                "Steward: the console answered 404 when asked for the schemas of user 'bob': no such route");
    }

    @Test
    void rejectedKey()
    {
        console.answer("/api/trino/v1/epoch", 401, "{\"error\": \"invalid API key\"}");
        assertFails(client::epoch, STEWARD_CONSOLE_REJECTED_KEY, "Steward: the console rejected the API key (401)");
        console.answer(SCHEMAS, 403, "");
        assertFails(() -> client.schemas("alice", Optional.empty()), STEWARD_CONSOLE_REJECTED_KEY, "Steward: the console rejected the API key (403)");
    }

    @Test
    void serverError()
    {
        console.answer(SCHEMAS, 500, "{\"error\": \"database is down\"}");
        assertFails(() -> client.schemas("alice", Optional.empty()), STEWARD_CONSOLE_UNAVAILABLE,
                "Steward: the console answered 500 when asked for the schemas of user 'alice': database is down");
        console.answer(SCHEMAS, 503, "Service Unavailable");
        assertFails(() -> client.schemas("alice", Optional.of("p1")), STEWARD_CONSOLE_UNAVAILABLE,
                "Steward: the console answered 503 when asked for the schemas of user 'alice' in project 'p1'");
    }

    @Test
    void apiKeyNeverAppearsInMessages()
    {
        console.answer(SCHEMAS, 500, "{\"error\": \"bad header Bearer " + FakeConsole.API_KEY + "\"}");
        TrinoException e = assertThrows(TrinoException.class, () -> client.schemas("alice", Optional.empty()));
        assertFalse(e.getMessage().contains(FakeConsole.API_KEY), e.getMessage());
        assertTrue(e.getMessage().contains("bad header Bearer ***"), e.getMessage());
    }

    @Test
    void malformedAnswers()
    {
        assertMalformed("/api/trino/v1/epoch", "not json", client::epoch, "Steward: malformed answer from the console for the epoch: not valid JSON");
        assertMalformed("/api/trino/v1/epoch", "{\"epoch\": 1} trailing", client::epoch, "for the epoch: not valid JSON");
        assertMalformed("/api/trino/v1/epoch", "[1]", client::epoch, "for the epoch: expected a JSON object");
        assertMalformed("/api/trino/v1/epoch", "", client::epoch, "for the epoch: expected a JSON object");
        assertMalformed("/api/trino/v1/epoch", "{}", client::epoch, "for the epoch: missing field 'epoch'");
        assertMalformed("/api/trino/v1/epoch", "{\"epoch\": \"42\"}", client::epoch, "for the epoch: 'epoch' is not an integer");
        assertMalformed("/api/trino/v1/epoch", "{\"epoch\": 1.5}", client::epoch, "for the epoch: 'epoch' is not an integer");

        Executable schemas = () -> client.schemas("alice", Optional.empty());
        assertMalformed(SCHEMAS, "{\"epoch\": 1}", schemas, "for the schemas of user 'alice': missing array 'schemas'");
        assertMalformed(SCHEMAS, "{\"epoch\": 1, \"schemas\": \"hr\"}", schemas, "missing array 'schemas'");
        assertMalformed(SCHEMAS, "{\"epoch\": 1, \"schemas\": [\"hr\", 3]}", schemas, "'schemas' holds something that is not a name: 3");
        assertMalformed(SCHEMAS, "{\"epoch\": 1, \"schemas\": [\"\"]}", schemas, "'schemas' holds something that is not a name");
        assertMalformed(SCHEMAS, "{\"schemas\": [\"hr\"]}", schemas, "missing field 'epoch'");
        assertMalformed(VIEWS, "{\"epoch\": 1, \"views\": null}", () -> client.views("alice", Optional.empty(), "hr"),
                "for the views of user 'alice' in schema 'hr': missing array 'views'");
    }

    @Test
    void malformedViews()
    {
        Executable view = () -> client.view("alice", Optional.empty(), "hr", "employees");
        String what = "Steward: malformed answer from the console for view 'hr.employees' for user 'alice': ";
        assertMalformed(VIEW, "{\"epoch\": 1}", view, what + "missing object 'view'");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\"}}", view, what + "missing array 'view.columns'");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": []}}", view, what + "'view.columns' is empty");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [\"x\"]}}", view, what + "'view.columns[0]' is not an object");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"x\"}]}}", view, what + "missing field 'view.columns[0].type'");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"\", \"type\": \"integer\"}]}}", view,
                what + "'view.columns[0].name' is not a non-empty string");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]}}", view, what + "missing field 'view.sql'");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}], \"owner\": 5}}", view,
                what + "'view.owner' is not a string");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}], \"owner\": \" \"}}", view,
                what + "'view.owner' is blank");
        assertMalformed(VIEW, "{\"epoch\": 1, \"view\": {\"sql\": \"SELECT 1 x\", \"sql\": \"SELECT 2 x\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]}}", view,
                what + "not valid JSON");
    }

    @Test
    void readsAllViewsInOneAnswer()
    {
        console.answer(ALL_VIEWS, 200, """
                {"epoch": 42, "validUntil": "2026-12-31T00:00:00.000Z", "views": [
                  {"schema": "hr", "name": "employees", "sql": "SELECT \\"id\\" FROM \\"memory\\".\\"hr\\".\\"employees\\"",
                   "columns": [{"name": "id", "type": "bigint"}], "owner": "steward", "comment": "People"},
                  {"schema": "sales", "name": "orders", "sql": "SELECT 1 x", "columns": [{"name": "x", "type": "integer"}], "comment": null}]}
                """);
        Answer<List<NamedView>> answer = client.allViews("alice", Optional.of("fraud")).orElseThrow();
        assertEquals(OptionalLong.of(42), answer.epoch());
        assertEquals(Optional.of(Instant.parse("2026-12-31T00:00:00Z")), answer.validUntil());
        assertEquals(List.of(
                new NamedView("hr", "employees", new ConsoleView("SELECT \"id\" FROM \"memory\".\"hr\".\"employees\"", List.of(new ConsoleColumn("id", "bigint")), Optional.of("steward"), Optional.of("People"))),
                new NamedView("sales", "orders", new ConsoleView("SELECT 1 x", List.of(new ConsoleColumn("x", "integer")), Optional.empty(), Optional.empty()))),
                answer.value());
        assertEquals("project=fraud", console.requests().getFirst().rawQuery());
        assertEquals(1, client.calls(Endpoint.ALL_VIEWS));
    }

    @Test
    void allViewsOfNobody()
    {
        console.answer(ALL_VIEWS, 200, "{\"epoch\": 3, \"validUntil\": null, \"views\": []}");
        assertEquals(Optional.of(new Answer<>(List.of(), OptionalLong.of(3))), client.allViews("alice", Optional.empty()));
    }

    @Test
    void olderConsoleHasNoBulkEndpoint()
    {
        // FakeConsole's own 404 for a route it was not given, then a framework's HTML page
        assertEquals(Optional.empty(), client.allViews("alice", Optional.empty()));
        console.answer(ALL_VIEWS, 404, "<html>Not Found</html>");
        assertEquals(Optional.empty(), client.allViews("alice", Optional.empty()));
        // A 404 with a code the connector does not know is the console speaking: a failure, not a missing route.
        console.answer(ALL_VIEWS, 404, "{\"error\": \"no such project\", \"code\": \"UNKNOWN_PROJECT\"}");
        assertFails(() -> client.allViews("alice", Optional.empty()), STEWARD_CONSOLE_BAD_ANSWER,
                "Steward: the console answered 404 when asked for all views of user 'alice': no such project");
        // Anywhere else a 404 without a code is still a failure.
        assertFails(() -> client.schemas("alice", Optional.empty()), STEWARD_CONSOLE_BAD_ANSWER, "the console answered 404 when asked for the schemas of user 'alice'");
    }

    @Test
    void allViewsOfAnUnknownUser()
    {
        console.answer(ALL_VIEWS, 404, "{\"error\": \"user 'alice' is not known to Steward\", \"code\": \"UNKNOWN_USER\"}");
        assertEquals(Optional.of(new Answer<>(List.of(), OptionalLong.empty(), Optional.empty(), true)), client.allViews("alice", Optional.empty()));
        console.answer(ALL_VIEWS, 404, "{\"error\": \"?\", \"code\": \"NO_SUCH_VIEW\"}");
        assertFails(() -> client.allViews("alice", Optional.empty()), STEWARD_CONSOLE_BAD_ANSWER,
                "Steward: the console answered 404 (NO_SUCH_VIEW) when asked for all views of user 'alice'");
    }

    @Test
    void malformedAllViews()
    {
        Executable all = () -> client.allViews("alice", Optional.empty());
        String what = "Steward: malformed answer from the console for all views of user 'alice': ";
        assertMalformed(ALL_VIEWS, "{\"views\": []}", all, what + "missing field 'epoch'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1}", all, what + "missing array 'views'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": {}}", all, what + "missing array 'views'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [\"hr.employees\"]}", all, what + "'views[0]' is not an object");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"name\": \"employees\", %s}]}".formatted(X), all, what + "missing field 'views[0].schema'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", %s}]}".formatted(X), all, what + "missing field 'views[0].name'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"\", \"name\": \"e\", %s}]}".formatted(X), all, what + "'views[0].schema' is not a non-empty string");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", \"name\": \" \", %s}]}".formatted(X), all, what + "'views[0].name' is not a non-empty string");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"HR\", \"name\": \"e\", %s}]}".formatted(X), all, what + "'views[0].schema' is not lower-case: HR");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", \"name\": \"a\", %s}, {\"schema\": \"hr\", \"name\": \"Employees\", %s}]}".formatted(X, X), all,
                what + "'views[1].name' is not lower-case: Employees");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", \"name\": \"e\", %s}, {\"schema\": \"hr\", \"name\": \"e\", %s}]}".formatted(X, X), all,
                what + "'views[1]' repeats view 'hr.e'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", \"name\": \"e\", \"sql\": \"SELECT 1 x\"}]}", all, what + "missing array 'views[0].columns'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", \"name\": \"e\", \"sql\": \"SELECT 1 x\", \"columns\": []}]}", all, what + "'views[0].columns' is empty");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", \"name\": \"e\", \"columns\": [{\"name\": \"x\", \"type\": \"integer\"}]}]}", all, what + "missing field 'views[0].sql'");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"views\": [{\"schema\": \"hr\", \"name\": \"e\", %s, \"owner\": \"\"}]}".formatted(X), all, what + "'views[0].owner' is blank");
        assertMalformed(ALL_VIEWS, "{\"epoch\": 1, \"validUntil\": \"next week\", \"views\": []}", all, what + "'validUntil' is not an ISO-8601 instant: next week");
    }

    @Test
    void everyAnswerMayCarryValidUntil()
    {
        console.answer(SCHEMAS, 200, "{\"epoch\": 7, \"validUntil\": \"2026-12-31T01:00:00+01:00\", \"schemas\": [\"hr\"]}");
        console.answer(VIEWS, 200, "{\"epoch\": 7, \"validUntil\": null, \"views\": [\"employees\"]}");
        console.answer(VIEW, 200, "{\"epoch\": 7, \"validUntil\": \"2026-12-31T00:00:00.000Z\", \"view\": {%s}}".formatted(X));
        Instant newYear = Instant.parse("2026-12-31T00:00:00Z");
        assertEquals(Optional.of(newYear), client.schemas("alice", Optional.empty()).validUntil());
        assertEquals(Optional.empty(), client.views("alice", Optional.empty(), "hr").validUntil());
        assertEquals(Optional.of(newYear), client.view("alice", Optional.empty(), "hr", "employees").validUntil());

        assertMalformed(SCHEMAS, "{\"epoch\": 7, \"validUntil\": 1767139200000, \"schemas\": []}", () -> client.schemas("alice", Optional.empty()),
                "for the schemas of user 'alice': 'validUntil' is not a string");
        assertMalformed(VIEW, "{\"epoch\": 7, \"validUntil\": \"2026-12-31\", \"view\": {%s}}".formatted(X), () -> client.view("alice", Optional.empty(), "hr", "employees"),
                "for view 'hr.employees' for user 'alice': 'validUntil' is not an ISO-8601 instant: 2026-12-31");
    }

    @Test
    void countsCallsPerEndpoint()
    {
        console.answer(SCHEMAS, 500, "{}");
        client.epoch();
        client.epoch();
        assertThrows(TrinoException.class, () -> client.schemas("alice", Optional.empty()));
        client.allViews("alice", Optional.empty());
        assertEquals(2, client.calls(Endpoint.EPOCH));
        assertEquals(1, client.calls(Endpoint.SCHEMAS));
        assertEquals(1, client.calls(Endpoint.ALL_VIEWS));
        assertEquals(0, client.calls(Endpoint.VIEW));
        assertEquals(4, client.calls());
    }

    @Test
    void timesOutQuickly()
            throws Exception
    {
        try (FakeConsole slow = FakeConsole.start(); ConsoleClient impatient = new ConsoleClient(slow.config("300ms", "60s"))) {
            slow.answerSlowly("/api/trino/v1/epoch", Duration.ofSeconds(10), "{\"epoch\": 1}");
            long start = System.nanoTime();
            assertFails(impatient::epoch, STEWARD_CONSOLE_UNAVAILABLE, "Steward: timed out after 300ms asking the console for the epoch");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(elapsed.compareTo(Duration.ofSeconds(3)) < 0, "took " + elapsed);
        }
    }

    // Each of these would have the server send far more than the limit if the client did not stop reading; the
    // @Timeout only turns a hang into a failure, nothing here depends on how fast anything is.
    @Test
    @Timeout(value = 60, unit = SECONDS)
    void stopsReadingAChunkedAnswerOverMaxResponseSize()
            throws Exception
    {
        long huge = 64L * 1024 * 1024;
        try (FakeConsole big = FakeConsole.start(); ConsoleClient capped = new ConsoleClient(big.config("30s", "60s", "64kB"))) {
            FakeConsole.Stream stream = big.stream(SCHEMAS, 200, huge, true);
            assertFails(() -> capped.schemas("alice", Optional.empty()), STEWARD_CONSOLE_BAD_ANSWER,
                    "Steward: the console's answer for the schemas of user 'alice' exceeded steward.max-response-size (64kB)");
            // The client dropped the connection instead of draining the rest: the server could not write it all.
            long sent = stream.sent().get();
            assertTrue(sent < huge, "the server wrote all " + sent + " bytes");
        }
    }

    @Test
    @Timeout(value = 60, unit = SECONDS)
    void refusesAnErrorAnswerOverMaxResponseSize()
            throws Exception
    {
        try (FakeConsole big = FakeConsole.start(); ConsoleClient capped = new ConsoleClient(big.config("30s", "60s", "64kB"))) {
            big.stream(SCHEMAS, 500, 8L * 1024 * 1024, true);
            assertFails(() -> capped.schemas("alice", Optional.empty()), STEWARD_CONSOLE_BAD_ANSWER,
                    "Steward: the console's answer for the schemas of user 'alice' exceeded steward.max-response-size (64kB)");
        }
    }

    @Test
    @Timeout(value = 60, unit = SECONDS)
    void refusesAnAnnouncedContentLengthOverMaxResponseSizeBeforeReadingTheBody()
            throws Exception
    {
        try (FakeConsole big = FakeConsole.start(); ConsoleClient capped = new ConsoleClient(big.config("30s", "60s", "4MB"))) {
            // The server announces 1.2 GB and then sends nothing: only the header can have caused this failure.
            big.announce("/api/trino/v1/epoch", 1_200_000_000L);
            assertFails(capped::epoch, STEWARD_CONSOLE_BAD_ANSWER,
                    "Steward: the console's answer for the epoch exceeded steward.max-response-size (4MB): it announced 1200000000 bytes");
        }
    }

    @Test
    @Timeout(value = 60, unit = SECONDS)
    void acceptsAnAnswerOfExactlyMaxResponseSize()
            throws Exception
    {
        try (FakeConsole console = FakeConsole.start(); ConsoleClient capped = new ConsoleClient(console.config("30s", "60s", "64kB"))) {
            String epoch = "/api/trino/v1/epoch";
            String limit = "Steward: the console's answer for the epoch exceeded steward.max-response-size (64kB)";
            for (boolean chunked : new boolean[] {true, false}) {
                console.stream(epoch, 200, 65536, chunked);
                assertEquals(1, capped.epoch(), "chunked=" + chunked);
                console.stream(epoch, 200, 65535, chunked);
                assertEquals(1, capped.epoch(), "chunked=" + chunked);
                console.stream(epoch, 200, 65537, chunked);
                assertFails(capped::epoch, STEWARD_CONSOLE_BAD_ANSWER, chunked ? limit : limit + ": it announced 65537 bytes");
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = SECONDS)
    void slowDripBodyIsBoundedByRequestTimeout()
            throws Exception
    {
        try (FakeConsole slow = FakeConsole.start(); ConsoleClient impatient = new ConsoleClient(slow.config("300ms", "60s"))) {
            // Headers at once, then a byte every 10 ms forever: never over the size limit, never finished.
            slow.drip("/api/trino/v1/epoch");
            assertFails(impatient::epoch, STEWARD_CONSOLE_UNAVAILABLE, "Steward: timed out after 300ms asking the console for the epoch");
        }
    }

    @Test
    void consoleDown()
            throws Exception
    {
        FakeConsole stopped = FakeConsole.start();
        StewardConfig config = stopped.config("2s", "60s");
        stopped.close();
        try (ConsoleClient orphan = new ConsoleClient(config)) {
            assertFails(orphan::epoch, STEWARD_CONSOLE_UNAVAILABLE, "Steward: console at " + config.consoleUrl() + " is unreachable: Connection refused");
        }
    }

    @Test
    void unknownHost()
    {
        StewardConfig config = StewardConfig.fromProperties(java.util.Map.of(
                StewardConfig.CONSOLE_URL, "http://steward-console.invalid:3000",
                StewardConfig.API_KEY, FakeConsole.API_KEY));
        try (ConsoleClient lost = new ConsoleClient(config)) {
            assertFails(lost::epoch, STEWARD_CONSOLE_UNAVAILABLE, "Steward: console at http://steward-console.invalid:3000 is unreachable: cannot resolve the host name");
        }
    }

    private void assertMalformed(String path, String body, Executable call, String expected)
    {
        console.answer(path, 200, body);
        assertFails(call, STEWARD_CONSOLE_BAD_ANSWER, expected);
    }

    private static TrinoException assertFails(Executable call, ErrorCodeSupplier code, String expected)
    {
        TrinoException e = assertThrows(TrinoException.class, call);
        assertEquals(code.toErrorCode(), e.getErrorCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Steward: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '%s' in '%s'".formatted(expected, e.getMessage()));
        assertFalse(e.getMessage().contains(FakeConsole.API_KEY), e.getMessage());
        return e;
    }
}
