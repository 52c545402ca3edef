package dev.steward.trino;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the console's epoch known without a call per query: one daemon thread per catalog reads the epoch
 * ({@code GET /epoch}), then long-polls it ({@code GET /epoch?after=<last>&waitMs=<wait>}), which the console
 * holds until its epoch moves or the wait passes. Every answer drops the cache's answers of another epoch at once
 * ({@link ViewCache#observeEpoch}), as a per-query read does.
 * <p>
 * The watch is <em>trusted</em> (and {@link StewardMetadata} then takes its epoch for a query instead of asking)
 * only until the next answer is due: an answer at {@code t} is trusted until {@code t + wait + request-timeout}
 * on the cache's ticker. Any failure (I/O, timeout, an answer other than 200, a malformed body) ends the trust at
 * once; the watch then backs off (1s doubling to 30s, reset by an answer) and starts again with a plain read. An
 * answer sooner than a tenth of the wait with the same epoch means the console did not hold the request (a console
 * without the long poll): it is not trusted either, and the watch backs off the same way so that it never spins.
 * While the watch is not trusted, each query reads the epoch itself, failing closed when the console is down.
 * <p>
 * Started by the catalog's first query ({@link #start}), so only the coordinator runs one.
 */
public final class EpochWatch
        implements AutoCloseable
{
    static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration LOG_REPEAT = Duration.ofMinutes(10);
    private static final Logger LOG = Logger.getLogger(EpochWatch.class.getName());

    /**
     * What the watch knows: the last epoch the console answered and, while trusted, the ticker value until which
     * that holds.
     */
    private record State(OptionalLong epoch, boolean trusted, long trustedUntilNanos)
    {
        static final State UNKNOWN = new State(OptionalLong.empty(), false, 0);
    }

    private final String name;
    private final ConsoleClient client;
    private final ViewCache cache;
    private final LongSupplier ticker;
    private final Duration wait;
    private final Duration requestTimeout;
    private final Thread thread;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile State state = State.UNKNOWN;
    private volatile boolean closed;
    // Only the watch's thread reads and writes these: what was last logged at INFO, and when.
    private boolean wasTrusted;
    private boolean everTrusted;
    private boolean problemLogged;
    private String loggedProblem;
    private long loggedProblemNanos;

    /**
     * @param name the catalog's name, for the thread and the log
     * @param cache also the source of the monotonic ticker the trust deadline runs on ({@link ViewCache#nanoTime})
     * @param wait how long the console may hold each request
     * @param requestTimeout the catalog's request timeout: the slack on top of {@code wait}
     */
    public EpochWatch(String name, ConsoleClient client, ViewCache cache, Duration wait, Duration requestTimeout)
    {
        this.name = requireNonNull(name, "name is null");
        this.client = requireNonNull(client, "client is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.ticker = cache::nanoTime;
        this.wait = requireNonNull(wait, "wait is null");
        this.requestTimeout = requireNonNull(requestTimeout, "requestTimeout is null");
        if (wait.isNegative() || wait.isZero() || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("wait and requestTimeout must be positive");
        }
        this.thread = new Thread(this::run, "steward-epoch-watch-" + name);
        thread.setDaemon(true);
    }

    /**
     * Starts the watch's thread unless started (or closed) already; until its first answer the watch is not
     * trusted. {@link StewardMetadata} calls it at each query, so that a worker (which runs no metadata and never
     * calls the console) never starts one.
     */
    public void start()
    {
        if (started.get()) {
            return;
        }
        // against close() starting nothing, or a thread nobody stops
        synchronized (started) {
            if (!closed && started.compareAndSet(false, true)) {
                thread.start();
            }
        }
    }

    /**
     * The console's epoch when the watch is trusted at this instant, else empty (the caller reads it itself).
     */
    public OptionalLong trustedEpoch()
    {
        State current = state;
        if (current.trusted() && !closed && ticker.getAsLong() - current.trustedUntilNanos() < 0) {
            return current.epoch();
        }
        return OptionalLong.empty();
    }

    /**
     * The last epoch the console answered the watch, trusted or not (for tests and diagnostics).
     */
    public OptionalLong lastEpoch()
    {
        return state.epoch();
    }

    /**
     * Whether the watch's thread is still running.
     */
    public boolean isRunning()
    {
        return thread.isAlive();
    }

    /**
     * Stops the thread (an exchange in progress is cancelled) and waits briefly for it to end. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (started) {
            closed = true;
        }
        state = new State(state.epoch(), false, 0);
        thread.interrupt();
        if (thread.isAlive() && thread != Thread.currentThread()) {
            try {
                thread.join(requestTimeout.toMillis() + 1_000);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run()
    {
        long backoffMillis = 0;
        // After a failure (and at start) the epoch is read without waiting, so that the watch is trusted again as
        // soon as the console answers rather than after a whole wait.
        boolean plainRead = true;
        while (!closed) {
            OptionalLong known = state.epoch();
            boolean polled = !plainRead && known.isPresent();
            long sentNanos = System.nanoTime();
            long epoch;
            try {
                epoch = polled ? client.epochAfter(known.getAsLong(), wait) : client.epoch();
            }
            catch (RuntimeException e) {
                // TrinoException from the client (its message starts with "Steward:", the key redacted); anything
                // else is a bug, which must not end the watch either.
                if (closed) {
                    return;
                }
                untrust(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e);
                plainRead = true;
                backoffMillis = nextBackoff(backoffMillis);
                pause(backoffMillis);
                continue;
            }
            if (closed) {
                return;
            }
            long elapsedNanos = System.nanoTime() - sentNanos;
            cache.observeEpoch(epoch);
            boolean held = !polled || epoch != known.getAsLong() || elapsedNanos >= wait.toNanos() / 10;
            if (held) {
                state = new State(OptionalLong.of(epoch), true, ticker.getAsLong() + wait.toNanos() + requestTimeout.toNanos());
                plainRead = false;
                backoffMillis = 0;
                noteTrusted(epoch);
            }
            else {
                // Answered at once with the same epoch: the console did not hold the request. The epoch is right,
                // but nothing says the next change would be seen in time.
                state = new State(OptionalLong.of(epoch), false, 0);
                noteUntrusted("the console answered a wait for a change of its epoch at once (a console without the long poll?)", null);
                backoffMillis = nextBackoff(backoffMillis);
                pause(backoffMillis);
            }
        }
    }

    private void untrust(String problem, Throwable cause)
    {
        state = new State(state.epoch(), false, 0);
        noteUntrusted(problem, cause);
    }

    // A change of trust is logged at INFO, but the same problem at most once per LOG_REPEAT (a console that keeps
    // failing the same way, or a proxy that cuts every held request), and the return to trust only the first time
    // and after a problem logged at INFO; everything else at FINE.
    private void noteTrusted(long epoch)
    {
        if (!wasTrusted && (!everTrusted || problemLogged)) {
            LOG.info(() -> "Steward catalog %s: watching the console's epoch (%d): queries served from the cache make no call to the console".formatted(name, epoch));
            problemLogged = false;
        }
        else {
            LOG.fine(() -> "Steward catalog %s: console epoch %d".formatted(name, epoch));
        }
        everTrusted = true;
        wasTrusted = true;
    }

    private void noteUntrusted(String problem, Throwable cause)
    {
        long now = System.nanoTime();
        if (!problem.equals(loggedProblem) || now - loggedProblemNanos >= LOG_REPEAT.toNanos()) {
            loggedProblem = problem;
            loggedProblemNanos = now;
            problemLogged = true;
            LOG.log(Level.INFO, "Steward catalog %s: not watching the console's epoch (each query reads it itself), retrying: %s".formatted(name, problem), LOG.isLoggable(Level.FINE) ? cause : null);
        }
        else {
            LOG.fine(() -> "Steward catalog %s: epoch watch: %s".formatted(name, problem));
        }
        wasTrusted = false;
    }

    private static long nextBackoff(long backoffMillis)
    {
        return backoffMillis == 0 ? MIN_BACKOFF.toMillis() : Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
    }

    private void pause(long millis)
    {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            // close(): the loop ends on the flag
        }
    }
}
