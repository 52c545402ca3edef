package dev.steward.trino;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * Posts query audit records to the console ({@code POST /api/trino/v1/query-events}) from a bounded queue on one
 * daemon thread, so no query ever waits for the console: {@link #submit} never blocks and never throws. A full
 * queue drops the record; a console that is down, slow (each exchange is bounded by the request timeout) or
 * refuses a record drops it after at most {@link #ATTEMPTS} attempts. Every drop is counted and logged (at most
 * one warning per {@link #LOG_EVERY}, with the number dropped since).
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
    // The console answers a record with a short JSON object: anything longer is read no further.
    static final long MAX_REPLY_SIZE = 64 * 1024;

    private record Item(String queryId, byte[] body) {}

    private final URI endpoint;
    private final String apiKey;
    private final Duration timeout;
    private final BlockingQueue<Item> queue;
    private final HttpClient httpClient;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private volatile long lastWarningNanos = System.nanoTime() - LOG_EVERY.toNanos() - 1;
    private volatile boolean closed;

    public QueryEventSender(QueryAuditConfig config)
    {
        requireNonNull(config, "config is null");
        this.endpoint = URI.create(config.consoleUrl() + PATH);
        this.apiKey = config.apiKey();
        this.timeout = config.requestTimeout();
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
     * Records the console accepted (200), since start.
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
        return queue.size();
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
            Item item;
            try {
                item = queue.take();
            }
            catch (InterruptedException e) {
                return;
            }
            try {
                send(item);
            }
            catch (RuntimeException e) {
                drop(item.queryId(), "unexpected failure: " + e);
            }
        }
    }

    private void send(Item item)
    {
        String problem = "";
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                try {
                    Thread.sleep(RETRY_DELAY);
                }
                catch (InterruptedException e) {
                    if (closed) {
                        drop(item.queryId(), "shut down while retrying (" + problem + ")");
                        return;
                    }
                }
            }
            HttpRequest request = ConsoleHttp.authorizedRequest(endpoint, apiKey, timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(item.body()))
                    .build();
            try {
                HttpResponse<byte[]> response = ConsoleHttp.send(httpClient, request, timeout, MAX_REPLY_SIZE);
                int status = response.statusCode();
                if (status == 200) {
                    sent.incrementAndGet();
                    return;
                }
                problem = "the console answered %d%s".formatted(status, detail(new String(response.body(), StandardCharsets.UTF_8)));
                // the console refused this record (bad key, invalid record): sending it again changes nothing
                if (status >= 400 && status < 500 && status != 408 && status != 429) {
                    break;
                }
            }
            catch (TimeoutException e) {
                problem = "timed out after " + StewardConfig.format(timeout);
            }
            catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                problem = ConsoleHttp.hasCause(cause, ConsoleHttp.ResponseTooLargeException.class)
                        ? "the console's answer exceeded %s".formatted(StewardConfig.formatSize(MAX_REPLY_SIZE))
                        : "the console at %s is unreachable: %s".formatted(endpoint.getAuthority(), ConsoleHttp.describe(cause));
            }
            catch (InterruptedException e) {
                drop(item.queryId(), "shut down while sending");
                return;
            }
        }
        drop(item.queryId(), problem);
    }

    private void drop(String queryId, String why)
    {
        dropped.incrementAndGet();
        long since = droppedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        if (now - lastWarningNanos >= LOG_EVERY.toNanos()) {
            lastWarningNanos = now;
            droppedSinceLog.set(0);
            LOG.warning("Steward query audit: record of query %s dropped: %s%s".formatted(queryId, ConsoleHttp.redact(why, apiKey),
                    since > 1 ? " (%d records dropped since the last warning)".formatted(since) : ""));
        }
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
