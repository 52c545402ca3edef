package dev.steward.trino;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

/**
 * HTTP plumbing shared by the console's clients ({@link ConsoleClient}, {@link QueryEventSender}): one way to build
 * the client and an authorised request, a send bounded in time and in the size of the answer, and the text helpers
 * that keep error messages short and free of the API key.
 */
final class ConsoleHttp
{
    private ConsoleHttp() {}

    static HttpClient newClient(Duration timeout)
    {
        return HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * A request to {@code uri} carrying the API key as a Bearer token; the caller adds the method and its headers.
     */
    static HttpRequest.Builder authorizedRequest(URI uri, String apiKey, Duration timeout)
    {
        return HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey);
    }

    /**
     * Sends a request and waits at most {@code timeout} for the whole exchange, reading at most {@code maxBodySize}
     * bytes of the answer (more fails with a {@link ResponseTooLargeException} as the cause). On a timeout or an
     * interrupt the exchange is cancelled before the exception is thrown; the interrupt flag is left to the caller.
     */
    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, Duration timeout, long maxBodySize)
            throws TimeoutException, InterruptedException, ExecutionException
    {
        // HttpRequest.timeout only bounds the wait for the response headers; this bounds the whole exchange,
        // body included, however slowly it trickles in.
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new CappedBodySubscriber(maxBodySize, declaredLength(info)));
        try {
            return future.get(timeout.toMillis(), MILLISECONDS);
        }
        catch (TimeoutException | InterruptedException e) {
            future.cancel(true);
            throw e;
        }
    }

    /**
     * The message of a failed exchange: the JDK client often wraps the useful one ("Connection refused") in causes
     * whose own message is null.
     */
    static String describe(Throwable throwable)
    {
        for (Throwable current = throwable; current != null; current = current.getCause()) {
            if (current.getMessage() != null && !current.getMessage().isBlank()) {
                return current.getMessage();
            }
        }
        if (hasCause(throwable, UnresolvedAddressException.class)) {
            return "cannot resolve the host name";
        }
        if (hasCause(throwable, ConnectException.class)) {
            return "Connection refused";
        }
        return throwable instanceof IOException ? "I/O error (" + throwable.getClass().getSimpleName() + ")" : throwable.getClass().getSimpleName();
    }

    /**
     * At most {@code max} chars of {@code text}, one fewer rather than split a surrogate pair.
     */
    static String truncate(String text, int max)
    {
        if (text.length() <= max) {
            return text;
        }
        int end = max > 0 && Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end);
    }

    /**
     * {@link #truncate}, with "..." appended when something was cut off.
     */
    static String abbreviate(String text, int max)
    {
        return text.length() > max ? truncate(text, max) + "..." : text;
    }

    /**
     * {@code text} with every occurrence of the API key masked (a null or empty key masks nothing).
     */
    static String redact(String text, String apiKey)
    {
        return apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, "***");
    }

    static boolean hasCause(Throwable throwable, Class<? extends Throwable> type)
    {
        return findCause(throwable, type).isPresent();
    }

    static <T extends Throwable> Optional<T> findCause(Throwable throwable, Class<T> type)
    {
        for (Throwable current = throwable; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return Optional.of(type.cast(current));
            }
        }
        return Optional.empty();
    }

    private static OptionalLong declaredLength(HttpResponse.ResponseInfo info)
    {
        try {
            return info.headers().firstValueAsLong("Content-Length");
        }
        catch (NumberFormatException e) {
            // Not ours to judge: the body is counted as it arrives anyway.
            return OptionalLong.empty();
        }
    }

    static final class ResponseTooLargeException
            extends IOException
    {
        private final OptionalLong declaredLength;

        ResponseTooLargeException(OptionalLong declaredLength)
        {
            super("response body exceeds the size limit");
            this.declaredLength = declaredLength;
        }

        OptionalLong declaredLength()
        {
            return declaredLength;
        }
    }

    /**
     * Collects a response body of at most {@code limit} bytes, whatever the status. A Content-Length above the
     * limit is refused before any of the body is read; otherwise the body is counted as it arrives (chunked answers
     * announce no length) and reading stops, with the connection dropped, at the first byte over the limit. So at
     * most {@code limit} bytes (plus the client's current network buffer) are ever held.
     */
    static final class CappedBodySubscriber
            implements BodySubscriber<byte[]>
    {
        private final long limit;
        private final OptionalLong declaredLength;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;
        private byte[] bytes = new byte[0];
        private int size;

        CappedBodySubscriber(long limit, OptionalLong declaredLength)
        {
            if (limit <= 0 || limit > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("limit out of range: " + limit);
            }
            this.limit = limit;
            this.declaredLength = requireNonNull(declaredLength, "declaredLength is null");
        }

        @Override
        public CompletionStage<byte[]> getBody()
        {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription)
        {
            this.subscription = requireNonNull(subscription, "subscription is null");
            if (declaredLength.isPresent() && declaredLength.getAsLong() > limit) {
                subscription.cancel();
                result.completeExceptionally(new ResponseTooLargeException(declaredLength));
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers)
        {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int remaining = buffer.remaining();
                if (remaining > limit - size) {
                    subscription.cancel();
                    bytes = null;
                    result.completeExceptionally(new ResponseTooLargeException(OptionalLong.empty()));
                    return;
                }
                if (size + remaining > bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + remaining, Math.max(8192L, 2L * bytes.length))));
                }
                buffer.get(bytes, size, remaining);
                size += remaining;
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable)
        {
            bytes = null;
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete()
        {
            if (!result.isDone()) {
                result.complete(size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
            }
        }
    }
}
