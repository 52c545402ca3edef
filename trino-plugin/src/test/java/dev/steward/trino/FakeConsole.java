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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static java.util.Objects.requireNonNull;

/**
 * A real HTTP server on an ephemeral port standing in for the console's view API. Answers are keyed by the raw
 * (still percent-encoded) request path, so tests also check how the client encodes names.
 */
final class FakeConsole
        implements AutoCloseable
{
    static final String API_KEY = "stw_test_secret_key";

    record Request(String method, String rawPath, String rawQuery, String authorization) {}

    private record Reply(int status, String body, Duration delay) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-console");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

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

    void epoch(long epoch)
    {
        answer("/api/trino/v1/epoch", 200, "{\"epoch\": %d}".formatted(epoch));
    }

    void answer(String rawPath, int status, String body)
    {
        replies.put(rawPath, new Reply(status, requireNonNull(body, "body is null"), Duration.ZERO));
    }

    void answerSlowly(String rawPath, Duration delay, String body)
    {
        replies.put(rawPath, new Reply(200, body, delay));
    }

    List<Request> requests()
    {
        return List.copyOf(requests);
    }

    long count(String rawPath)
    {
        return requests.stream().filter(request -> request.rawPath().equals(rawPath)).count();
    }

    void clearRequests()
    {
        requests.clear();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            requests.add(new Request(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization")));
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
