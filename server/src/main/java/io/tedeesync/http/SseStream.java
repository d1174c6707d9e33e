package io.tedeesync.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One subscriber's end of the event stream: a bounded queue of ready-made frames, written to the
 * response without ever blocking a thread. The servlet's non-blocking output ({@link WriteListener})
 * does the waiting: {@link #drain()} writes while the connection takes data and returns at once when
 * it does not; the container calls {@link #onWritePossible()} on one of its pool threads when it does
 * again. A blocking write would hold the calling thread until the client reads or Jetty's idle timeout
 * (30 s) fails it, which is why no thread writes here in blocking mode.
 *
 * <p>Thread-safe: {@link #offer} from the fan-out thread, {@link #drain} from the fan-out thread and
 * the container's callbacks, at the same time. Only one thread writes at a time (a work-in-progress
 * counter instead of a lock, so that neither side ever waits for the other).
 */
final class SseStream implements WriteListener {
    private final ServletOutputStream out;
    private final ArrayBlockingQueue<byte[]> queue;
    private final Consumer<String> cut;
    private final Runnable end;
    private final Runnable afterDrain;
    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final AtomicInteger work = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String closeReason;
    // Touched only by the thread that holds the work counter.
    private boolean unflushed;

    /**
     * @param out        the response's output, already in async mode; {@link #start()} makes it non-blocking
     * @param capacity   how many frames may wait; {@link #offer} refuses more
     * @param cut        cuts the connection, given why: for a client that stopped reading, which could not
     *                   be sent even the end of the response
     * @param end        ends the response normally (when the service stops; it runs on that thread)
     * @param afterDrain told after each drain, on whatever thread drained (it must be quick)
     */
    SseStream(ServletOutputStream out, int capacity, Consumer<String> cut, Runnable end, Runnable afterDrain) {
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.cut = cut;
        this.end = end;
        this.afterDrain = afterDrain;
    }

    /** Switches the output to non-blocking mode; the container then calls {@link #onWritePossible()}. */
    void start() {
        out.setWriteListener(this);
    }

    /** Queues a frame; false when the queue is full (nothing is queued then). */
    boolean offer(byte[] frame) {
        return !closed.get() && queue.offer(frame);
    }

    /** Frames that could still be queued. */
    int room() {
        return queue.remainingCapacity();
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Completes when the stream is over (dropped, failed or closed), on the thread that closed it. */
    CompletableFuture<Void> finished() {
        return finished;
    }

    /** Why the stream ended, or null while it runs. */
    String closeReason() {
        return closeReason;
    }

    /** Writes queued frames while the connection takes them; returns at once, never waits. */
    void drain() {
        if (work.getAndIncrement() != 0) {
            return; // another thread is writing; it will see the new work before it stops
        }
        int missed = 1;
        do {
            writeWhileReady();
            missed = work.addAndGet(-missed);
        } while (missed != 0);
        afterDrain.run();
    }

    private void writeWhileReady() {
        if (closed.get()) {
            queue.clear();
            return;
        }
        try {
            while (out.isReady()) {
                byte[] frame = queue.poll();
                if (frame == null) {
                    if (!unflushed) {
                        return;
                    }
                    unflushed = false;
                    out.flush(); // Jetty gathers small writes; this sends them, asynchronously
                    continue;
                }
                out.write(frame);
                unflushed = true;
            }
            // Not ready: the container calls onWritePossible once the pending write is done.
        } catch (IOException | RuntimeException e) {
            close("the connection failed: " + e.getMessage(), Ending.GONE);
        }
    }

    @Override
    public void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        close("the connection failed: " + failure, Ending.GONE);
    }

    /** How a stream ends. */
    enum Ending {
        /** The client stopped reading: cut the connection, since not even the end of the response would get through. */
        CUT,
        /** The service stops: end the response normally. */
        FINISH,
        /** The connection failed (the client went away): Jetty fails the request, and Javalin's own listener ends it. */
        GONE
    }

    /** Ends the stream once: no more frames are written, the request ends as {@code ending} says, {@link #finished()} completes. */
    void close(String reason, Ending ending) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        queue.clear();
        try {
            if (ending == Ending.CUT) {
                cut.accept(reason);
            } else if (ending == Ending.FINISH) {
                end.run();
            }
        } finally {
            finished.complete(null);
        }
    }
}
