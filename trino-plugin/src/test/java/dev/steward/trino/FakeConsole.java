package dev.steward.trino;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Arrays;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * A real HTTP server on an ephemeral port standing in for the console's view API. Answers are keyed by the raw
 * (still percent-encoded) request path, so tests also check how the client encodes names.
 * <p>
 * The epoch's long poll ({@code GET /epoch?after=n&waitMs=ms}) is held like the console holds it: answered at once
 * when the epoch set by {@link #epoch} differs from {@code after}, else when it changes or {@code waitMs} (at most
 * 30 s) passes; then with whatever the epoch route answers by then (an answer set meanwhile with {@link #answer},
 * e.g. a 503, does not end the hold but is what it gets). {@link #holdEpochWaits(boolean) holdEpochWaits(false)}
 * makes it an older console that ignores the parameters and answers at once.
 */
final class FakeConsole
        implements AutoCloseable
{
    static final String API_KEY = "stw_test_secret_key";
    static final String EPOCH = "/api/trino/v1/epoch";
    private static final long MAX_WAIT_MILLIS = 30_000;

    record Request(String method, String rawPath, String rawQuery, String authorization) {}

    private record Reply(int status, String body, Duration delay) {}

    @FunctionalInterface
    private interface Responder
    {
        void respond(HttpExchange exchange)
                throws IOException;
    }

    /**
     * A body being streamed; {@link #sent()} completes, with the number of body bytes written, when the server
     * stops writing (all written, or the client dropped the connection).
     */
    record Stream(CompletableFuture<Long> sent) {}

    // Prefix and suffix of the streamed bodies: {"epoch": 1, "pad": "xxx...x"} is valid JSON of any length.
    private static final byte[] PAD_PREFIX = "{\"epoch\": 1, \"pad\": \"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PAD_SUFFIX = "\"}".getBytes(StandardCharsets.UTF_8);
    private static final int CHUNK = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-console");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final Map<String, Responder> responders = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    // Guards epoch; notified when it changes or the console closes.
    private final Object epochLock = new Object();
    private long epoch;
    private volatile boolean holdEpochWaits = true;

    private FakeConsole()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        epoch(1);
    }

    static FakeConsole start()
            throws IOException
    {
        return new FakeConsole();
    }

    URI url()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    StewardConfig config(String timeout, String cacheTtl)
    {
        return StewardConfig.fromProperties(Map.of(
                StewardConfig.CONSOLE_URL, url().toString(),
                StewardConfig.API_KEY, API_KEY,
                StewardConfig.REQUEST_TIMEOUT, timeout,
                StewardConfig.CACHE_TTL, cacheTtl));
    }

    StewardConfig config(String timeout, String cacheTtl, String maxResponseSize)
    {
        return StewardConfig.fromProperties(Map.of(
                StewardConfig.CONSOLE_URL, url().toString(),
                StewardConfig.API_KEY, API_KEY,
                StewardConfig.REQUEST_TIMEOUT, timeout,
                StewardConfig.CACHE_TTL, cacheTtl,
                StewardConfig.MAX_RESPONSE_SIZE, maxResponseSize));
    }

    /**
     * Sets the console's epoch (a governance write) and answers the long polls waiting for it to change.
     */
    void epoch(long epoch)
    {
        Reply reply = new Reply(200, "{\"epoch\": %d}".formatted(epoch), Duration.ZERO);
        synchronized (epochLock) {
            responders.remove(EPOCH);
            replies.put(EPOCH, reply);
            this.epoch = epoch;
            epochLock.notifyAll();
        }
    }

    /**
     * Whether {@code GET /epoch?after=n&waitMs=ms} is held (the default) or answered at once like an older console.
     */
    void holdEpochWaits(boolean hold)
    {
        holdEpochWaits = hold;
    }

    void answer(String rawPath, int status, String body)
    {
        responders.remove(rawPath);
        replies.put(rawPath, new Reply(status, requireNonNull(body, "body is null"), Duration.ZERO));
    }

    void answerSlowly(String rawPath, Duration delay, String body)
    {
        responders.remove(rawPath);
        replies.put(rawPath, new Reply(200, body, delay));
    }

    /**
     * Answers with a valid JSON body {@code {"epoch": 1, "pad": "x..."}} of exactly {@code length} bytes, written
     * in 64 kB pieces: chunked (no Content-Length) or with a Content-Length.
     */
    Stream stream(String rawPath, int status, long length, boolean chunked)
    {
        if (length < PAD_PREFIX.length + PAD_SUFFIX.length) {
            throw new IllegalArgumentException("length too small: " + length);
        }
        CompletableFuture<Long> sent = new CompletableFuture<>();
        respondWith(rawPath, exchange -> {
            long written = 0;
            try {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, chunked ? 0 : length);
                OutputStream out = exchange.getResponseBody();
                out.write(PAD_PREFIX);
                written += PAD_PREFIX.length;
                byte[] pad = new byte[CHUNK];
                Arrays.fill(pad, (byte) 'x');
                long padLength = length - PAD_PREFIX.length - PAD_SUFFIX.length;
                for (long left = padLength; left > 0; ) {
                    int piece = (int) Math.min(left, pad.length);
                    out.write(pad, 0, piece);
                    written += piece;
                    left -= piece;
                }
                out.write(PAD_SUFFIX);
                written += PAD_SUFFIX.length;
                out.close();
            }
            finally {
                sent.complete(written);
            }
        });
        return new Stream(sent);
    }

    /**
     * Answers 200, chunked, with the start of a JSON body and then one more byte every 10 ms, never finishing.
     */
    void drip(String rawPath)
    {
        respondWith(rawPath, exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(PAD_PREFIX);
            out.flush();
            while (!closed.await(10, MILLISECONDS)) {
                out.write('x');
                out.flush();
            }
        });
    }

    /**
     * Answers 200 announcing a Content-Length of {@code length} bytes, then sends no body at all until closed.
     */
    void announce(String rawPath, long length)
    {
        respondWith(rawPath, exchange -> {
            exchange.sendResponseHeaders(200, length);
            exchange.getResponseBody().flush();
            closed.await();
        });
    }

    List<Request> requests()
    {
        return List.copyOf(requests);
    }

    long count(String rawPath)
    {
        return requests.stream().filter(request -> request.rawPath().equals(rawPath)).count();
    }

    /**
     * Plain epoch reads ({@code GET /epoch} without a query): per-query reads, and the watch's first read.
     */
    long epochReads()
    {
        return requests.stream().filter(request -> request.rawPath().equals(EPOCH) && request.rawQuery() == null).count();
    }

    /**
     * Epoch long polls ({@code GET /epoch?after=...}).
     */
    long epochWaits()
    {
        return requests.stream().filter(FakeConsole::isEpochWait).count();
    }

    /**
     * Requests other than the epoch's long polls.
     */
    long requestsBesidesEpochWaits()
    {
        return requests.stream().filter(request -> !isEpochWait(request)).count();
    }

    void clearRequests()
    {
        requests.clear();
    }

    @Override
    public void close()
    {
        if (closed.getCount() == 0) {
            return;
        }
        synchronized (epochLock) {
            closed.countDown();
            epochLock.notifyAll();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private void respondWith(String rawPath, InterruptibleResponder responder)
    {
        replies.remove(rawPath);
        responders.put(rawPath, exchange -> {
            try {
                responder.respond(exchange);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            catch (IOException e) {
                // The client dropped the connection, which is what these answers are there to provoke.
            }
        });
    }

    private static boolean isEpochWait(Request request)
    {
        return request.rawPath().equals(EPOCH) && request.rawQuery() != null && request.rawQuery().contains("after=");
    }

    /**
     * Holds a long poll while the epoch equals its {@code after} and {@code waitMs} has not passed; false when the
     * console closed meanwhile.
     */
    private boolean holdEpochWait(Request request)
    {
        Map<String, String> parameters = new HashMap<>();
        for (String parameter : request.rawQuery().split("&")) {
            int equals = parameter.indexOf('=');
            if (equals > 0) {
                parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
            }
        }
        long after = Long.parseLong(parameters.get("after"));
        long waitMillis = Math.min(Long.parseLong(parameters.getOrDefault("waitMs", "0")), MAX_WAIT_MILLIS);
        long deadline = System.nanoTime() + MILLISECONDS.toNanos(waitMillis);
        synchronized (epochLock) {
            while (closed.getCount() > 0 && epoch == after) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    epochLock.wait(Math.max(1, left / 1_000_000));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return closed.getCount() > 0;
        }
    }

    @FunctionalInterface
    private interface InterruptibleResponder
    {
        void respond(HttpExchange exchange)
                throws IOException, InterruptedException;
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            Request request = new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"));
            requests.add(request);
            if (isEpochWait(request) && holdEpochWaits && !holdEpochWait(request)) {
                // closed while holding: no answer, the connection is dropped
                return;
            }
            Responder responder = responders.get(uri.getRawPath());
            if (responder != null) {
                responder.respond(exchange);
                return;
            }
            Reply reply = replies.getOrDefault(uri.getRawPath(), new Reply(404, "{\"error\": \"no such route\"}", Duration.ZERO));
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
