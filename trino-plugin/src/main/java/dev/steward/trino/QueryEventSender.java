package dev.steward.trino;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.NANOSECONDS;

/**
 * Posts query audit records to the console ({@code POST /api/trino/v1/query-events}) from a bounded queue on one
 * daemon thread, so no query ever waits for the console: {@link #submit} never blocks and never throws.
 * <p>
 * Records go in batches: after taking the first queued record the thread waits up to the linger for more, up to
 * the batch size and {@link #MAX_BATCH_BYTES} of body (a record that would take the body over that starts the next
 * batch; a record larger than that on its own goes alone), and posts them as one body
 * {@code {"events":[<record>,...]}} (each record the listener's JSON, byte for byte). The console answers 200 with
 * {@code {"results":[{"queryId":...,"recorded":true|false} | {"queryId":...,"error":...}, ...]}}: a record with an
 * error is one the console refused, dropped and not sent again. A batch the console does not answer 200 is retried
 * as a whole like a single record ({@link #ATTEMPTS} attempts for a timeout, 408, 429 or 5xx; one for another 4xx),
 * then each of its records is dropped.
 * <p>
 * A console older than batches reads the batch as one record without a query id and answers 400 without
 * {@code "results"}. Then the batch's records are sent again one by one, each record's bytes the whole body (the
 * console answers 200, or 400 for a record it refuses: dropped, not sent again), and later batches go one by one
 * straight away; the batch form is tried again every {@link #BATCH_FORM_RETRY}, in case the console was upgraded.
 * <p>
 * A full queue drops the record; a console that is down, slow (each exchange is bounded by the request timeout)
 * or refusing drops it too. Every drop is counted per record and logged (at most one warning per
 * {@link #LOG_EVERY}, with the number dropped since).
 */
public final class QueryEventSender
        implements AutoCloseable
{
    static final String PATH = ConsoleClient.API_PREFIX + "/query-events";
    static final int ATTEMPTS = 2;
    static final Duration RETRY_DELAY = Duration.ofMillis(500);
    static final Duration LOG_EVERY = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(QueryEventSender.class.getName());
    private static final int MAX_LOGGED_BODY = 300;
    private static final int MAX_LOGGED_IDS = 3;
    // The console answers a batch with a short JSON object per record: anything longer is read no further.
    static final long MAX_REPLY_SIZE = 64 * 1024;
    static final long MAX_REPLY_SIZE_PER_RECORD = 256;
    // The console refuses a body over 32 MB (413, and the whole batch would be dropped): batches stay well below.
    static final int MAX_BATCH_BYTES = 8 * 1024 * 1024;
    static final Duration BATCH_FORM_RETRY = Duration.ofMinutes(10);
    private static final byte[] BATCH_START = "{\"events\":[".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BATCH_END = "]}".getBytes(StandardCharsets.UTF_8);

    private record Item(String queryId, byte[] body) {}

    /**
     * How an exchange ended: the console's answer ({@code status} and {@code reply}), or none ({@code status} 0);
     * {@code problem} says what went wrong, for the log of records dropped.
     */
    private record Answer(int status, byte[] reply, String problem) {}

    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final int batchSize;
    private final Duration linger;
    private final BlockingQueue<Item> queue;
    // The ticker the batch form's re-try runs on (System.nanoTime but in tests).
    private final LongSupplier ticker;
    private final HttpClient httpClient;
    private final ObjectMapper mapper = JsonMapper.builder().build();
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private volatile long lastWarningNanos = System.nanoTime() - LOG_EVERY.toNanos() - 1;
    private volatile boolean closed;
    // Taken from the queue by the sender thread but over the byte cap of the batch it came to: the next batch's first.
    private volatile Item carried;
    // The console answered a batch as a console older than batches: records go one by one until batchFormRetryNanos.
    private volatile boolean singleRecordsOnly;
    private volatile long batchFormRetryNanos;

    public QueryEventSender(QueryAuditConfig config)
    {
        this(config, System::nanoTime);
    }

    QueryEventSender(QueryAuditConfig config, LongSupplier ticker)
    {
        requireNonNull(config, "config is null");
        this.ticker = requireNonNull(ticker, "ticker is null");
        this.endpoint = URI.create(config.consoleUrl() + PATH);
        this.apiKey = config.apiKey();
        this.timeout = config.requestTimeout();
        this.batchSize = config.batchSize();
        this.linger = config.batchLinger();
        this.queue = new ArrayBlockingQueue<>(config.queueSize());
        this.httpClient = ConsoleHttp.newClient(timeout);
        this.thread = new Thread(this::run, "steward-query-audit-sender");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues one record; false (and the record dropped, logged) when the queue is full or the sender closed.
     */
    public boolean submit(String queryId, byte[] body)
    {
        if (closed || !queue.offer(new Item(queryId, body))) {
            drop(queryId, closed ? "the listener is shut down" : "the queue is full (%d records waiting for the console)".formatted(queue.size()));
            return false;
        }
        return true;
    }

    /**
     * Records the console accepted (its batch answered 200 without an error for the record, or the record sent
     * alone answered 200), since start.
     */
    public long sent()
    {
        return sent.get();
    }

    /**
     * Records given up (queue full, console down or refusing), since start.
     */
    public long dropped()
    {
        return dropped.get();
    }

    /**
     * Records waiting to be sent.
     */
    public int queued()
    {
        return queue.size() + (carried == null ? 0 : 1);
    }

    /**
     * Whether the console answered a batch like a console older than batches, so that records go one by one (until
     * the batch form is tried again).
     */
    boolean singleRecordsOnly()
    {
        return singleRecordsOnly;
    }

    @Override
    public void close()
    {
        closed = true;
        thread.interrupt();
        try {
            thread.join(timeout.toMillis() + 1_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size();
        queue.clear();
        if (left > 0) {
            dropped.addAndGet(left);
            LOG.warning("Steward query audit: %d record(s) not sent at shutdown".formatted(left));
        }
        httpClient.shutdownNow();
    }

    private void run()
    {
        while (!closed) {
            List<Item> batch = new ArrayList<>();
            try {
                Item first = carried;
                batch.add(first != null ? first : queue.take());
                carried = null;
                linger(batch);
            }
            catch (InterruptedException e) {
                if (batch.isEmpty()) {
                    break;
                }
                // Shutting down while waiting for more: what was taken still goes (close() waits for it).
            }
            try {
                send(batch);
            }
            catch (RuntimeException e) {
                dropAll(batch, "unexpected failure: " + e);
            }
        }
        Item left = carried;
        if (left != null) {
            carried = null;
            dropAll(List.of(left), "the listener is shut down");
        }
    }

    /**
     * Adds to the batch what is queued, and what arrives within the linger, up to the batch size and as long as the
     * body stays within {@link #MAX_BATCH_BYTES}; a record that would take it over is kept for the next batch.
     */
    private void linger(List<Item> batch)
            throws InterruptedException
    {
        long bytes = BATCH_START.length + BATCH_END.length + batch.getFirst().body().length;
        long deadline = System.nanoTime() + linger.toNanos();
        while (batch.size() < batchSize) {
            Item next = queue.poll();
            if (next == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                next = queue.poll(left, NANOSECONDS);
                if (next == null) {
                    return;
                }
            }
            // a comma before it
            long grown = bytes + 1 + next.body().length;
            if (grown > MAX_BATCH_BYTES) {
                carried = next;
                return;
            }
            batch.add(next);
            bytes = grown;
        }
    }

    private void send(List<Item> batch)
    {
        if (singleRecordsOnly && ticker.getAsLong() - batchFormRetryNanos < 0) {
            sendOneByOne(batch, true);
            return;
        }
        Answer answer = post(batchBody(batch), MAX_REPLY_SIZE + MAX_REPLY_SIZE_PER_RECORD * batch.size());
        if (answer.status() == 200) {
            if (singleRecordsOnly) {
                singleRecordsOnly = false;
                LOG.info("Steward query audit: the console takes batches again");
            }
            results(batch, answer.reply());
            return;
        }
        if (answer.status() == 400 && !hasResults(answer.reply())) {
            // A console older than batches read the batch as one record and found no query id in it.
            if (!singleRecordsOnly) {
                LOG.warning("Steward query audit: the console refused a batch as a console older than batches does (%s): records are sent one by one, the batch form is tried again every %s"
                        .formatted(ConsoleHttp.redact(answer.problem(), apiKey), StewardConfig.format(BATCH_FORM_RETRY)));
            }
            batchFormRetryNanos = ticker.getAsLong() + BATCH_FORM_RETRY.toNanos();
            singleRecordsOnly = true;
            sendOneByOne(batch, false);
            return;
        }
        dropAll(batch, answer.problem());
    }

    /**
     * Posts each record alone, its bytes the whole body, as to a console older than batches: a 200 is a record
     * sent, anything else (after the retries of {@link #post}) a record dropped. Once the sender is shut down no
     * further post starts (but a first one when {@code firstMayGo}): the records left are dropped.
     */
    private void sendOneByOne(List<Item> batch, boolean firstMayGo)
    {
        for (int i = 0; i < batch.size(); i++) {
            if (closed && (i > 0 || !firstMayGo)) {
                dropAll(batch.subList(i, batch.size()), "the listener is shut down");
                return;
            }
            Item item = batch.get(i);
            Answer answer = post(item.body(), MAX_REPLY_SIZE + MAX_REPLY_SIZE_PER_RECORD);
            if (answer.status() == 200) {
                sent.incrementAndGet();
            }
            else {
                dropAll(List.of(item), answer.problem());
            }
        }
    }

    /**
     * Posts a body: again after {@link #RETRY_DELAY} for a timeout, a console unreachable, 408, 429 or 5xx, up to
     * {@link #ATTEMPTS} attempts (not once the sender is shut down). The last answer, or why there is none.
     */
    private Answer post(byte[] body, long maxReplySize)
    {
        String problem = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                if (closed) {
                    return new Answer(0, new byte[0], "shut down before retrying (" + problem + ")");
                }
                try {
                    Thread.sleep(RETRY_DELAY);
                }
                catch (InterruptedException e) {
                    if (closed) {
                        return new Answer(0, new byte[0], "shut down while retrying (" + problem + ")");
                    }
                }
            }
            HttpRequest request = ConsoleHttp.authorizedRequest(endpoint, apiKey, timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            try {
                HttpResponse<byte[]> response = ConsoleHttp.send(httpClient, request, timeout, maxReplySize);
                int status = response.statusCode();
                if (status == 200) {
                    return new Answer(status, response.body(), "");
                }
                problem = "the console answered %d%s".formatted(status, detail(new String(response.body(), StandardCharsets.UTF_8)));
                // the console refused the body (bad key, invalid body): sending it again changes nothing
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    return new Answer(status, response.body(), problem);
                }
                if (attempt == ATTEMPTS) {
                    return new Answer(status, response.body(), problem);
                }
            }
            catch (TimeoutException e) {
                problem = "timed out after " + StewardConfig.format(timeout);
            }
            catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                problem = ConsoleHttp.hasCause(cause, ConsoleHttp.ResponseTooLargeException.class)
                        ? "the console's answer exceeded %s".formatted(StewardConfig.formatSize(maxReplySize))
                        : "the console at %s is unreachable: %s".formatted(endpoint.getAuthority(), ConsoleHttp.describe(cause));
            }
            catch (InterruptedException e) {
                return new Answer(0, new byte[0], "shut down while sending");
            }
        }
        return new Answer(0, new byte[0], problem);
    }

    /**
     * Whether a reply is a JSON object with a {@code "results"} field: a console that knows batches.
     */
    private boolean hasResults(byte[] reply)
    {
        try {
            JsonNode root = mapper.readTree(reply);
            return root != null && root.isObject() && root.has("results");
        }
        catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code {"events":[<record>,<record>,...]}}, each record's bytes as the listener wrote them.
     */
    private static byte[] batchBody(List<Item> batch)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(BATCH_START.length + BATCH_END.length + batch.stream().mapToInt(item -> item.body().length + 1).sum());
        out.writeBytes(BATCH_START);
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(batch.get(i).body());
        }
        out.writeBytes(BATCH_END);
        return out.toByteArray();
    }

    /**
     * Counts a batch the console answered 200: each record sent, but for those whose result carries an error (the
     * console refused them: dropped, not sent again). The console answers in the order given, so results are
     * matched to records by position when they line up (an error for a record whose query id it could not read
     * has a null one), else by query id. A record the answer does not mention, or an answer that cannot be read,
     * counts as sent (the console took the batch) and is logged.
     */
    private void results(List<Item> batch, byte[] reply)
    {
        List<JsonNode> results = new ArrayList<>();
        String unreadable = null;
        try {
            JsonNode root = mapper.readTree(reply);
            JsonNode array = root == null ? null : root.get("results");
            if (array == null || !array.isArray()) {
                unreadable = "no array 'results'";
            }
            else {
                array.forEach(results::add);
            }
        }
        catch (IOException e) {
            unreadable = "not valid JSON";
        }
        List<JsonNode> matched = match(batch, results);
        List<String> unmentioned = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Item item = batch.get(i);
            JsonNode result = matched.get(i);
            JsonNode error = result == null ? null : result.get("error");
            if (error != null && !error.isNull()) {
                dropAll(List.of(item), "the console refused it: " + ConsoleHttp.abbreviate(error.isTextual() ? error.asText() : error.toString(), MAX_LOGGED_BODY));
                continue;
            }
            if (result == null) {
                unmentioned.add(item.queryId());
            }
            sent.incrementAndGet();
        }
        if (!unmentioned.isEmpty()) {
            String why = unreadable != null ? "its answer has %s".formatted(unreadable) : "its answer does not mention them";
            LOG.warning("Steward query audit: the console answered 200 for %s but %s; counted as sent".formatted(describe(unmentioned), why));
        }
    }

    /**
     * Each record's result (null when there is none): by position when the results line up with the batch, else
     * the next result naming the record's query id.
     */
    private static List<JsonNode> match(List<Item> batch, List<JsonNode> results)
    {
        boolean lineUp = results.size() == batch.size();
        for (int i = 0; lineUp && i < batch.size(); i++) {
            JsonNode queryId = results.get(i).get("queryId");
            lineUp = results.get(i).isObject() && (queryId == null || queryId.isNull() || batch.get(i).queryId().equals(queryId.asText()));
        }
        if (lineUp) {
            return results;
        }
        Map<String, Deque<JsonNode>> byQueryId = new HashMap<>();
        for (JsonNode result : results) {
            JsonNode queryId = result.get("queryId");
            if (queryId != null && queryId.isTextual()) {
                byQueryId.computeIfAbsent(queryId.asText(), ignored -> new ArrayDeque<>()).add(result);
            }
        }
        List<JsonNode> matched = new ArrayList<>(batch.size());
        for (Item item : batch) {
            Deque<JsonNode> candidates = byQueryId.get(item.queryId());
            matched.add(candidates == null ? null : candidates.poll());
        }
        return matched;
    }

    private void dropAll(List<Item> batch, String why)
    {
        dropQueries(batch.stream().map(Item::queryId).toList(), why);
    }

    private void drop(String queryId, String why)
    {
        dropQueries(List.of(queryId), why);
    }

    private void dropQueries(List<String> queryIds, String why)
    {
        long since = droppedSinceLog.addAndGet(queryIds.size());
        long now = System.nanoTime();
        if (now - lastWarningNanos >= LOG_EVERY.toNanos()) {
            lastWarningNanos = now;
            droppedSinceLog.set(0);
            LOG.warning("Steward query audit: %s dropped: %s%s".formatted(describe(queryIds), ConsoleHttp.redact(why, apiKey),
                    since > queryIds.size() ? " (%d records dropped since the last warning)".formatted(since) : ""));
        }
        // Counted once logged: whoever sees the count sees the warning too.
        dropped.addAndGet(queryIds.size());
    }

    // "record of query q1", "3 records (queries q1, q2, q3)", "5 records (queries q1, q2, q3, ...)"
    private static String describe(List<String> queryIds)
    {
        if (queryIds.size() == 1) {
            return "record of query " + queryIds.getFirst();
        }
        String shown = String.join(", ", queryIds.subList(0, Math.min(queryIds.size(), MAX_LOGGED_IDS)));
        return "%d records (queries %s%s)".formatted(queryIds.size(), shown, queryIds.size() > MAX_LOGGED_IDS ? ", ..." : "");
    }

    private String detail(String body)
    {
        if (body == null || body.isBlank()) {
            return "";
        }
        String text = body.strip();
        return ": " + ConsoleHttp.abbreviate(text, MAX_LOGGED_BODY);
    }
}
