package io.tedeesync.sync.internal;

import io.tedeesync.client.DeviceOperation;
import io.tedeesync.client.OperationAccepted;
import io.tedeesync.client.TedeeException;
import io.tedeesync.sync.Mirror;
import io.tedeesync.sync.OperationOutcome;
import io.tedeesync.sync.internal.CallHealth.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the answer (or the failure) of one account's call does to it: an answer is merged and published,
 * or taken as its operation's progress; a failure is told to its operation, and the account's state
 * decides what follows. Apart from {@link AccountWorker} so that the loop and what its answers mean are
 * read one at a time.
 *
 * <p>Not thread-safe: guarded by its worker.
 */
final class Answers {
    /** The account's lines come under one logger name, whichever part of it writes them. */
    private static final Logger LOG = LoggerFactory.getLogger(AccountWorker.class);

    private final String account;
    private final Mirror mirror;
    private final AccountState state;
    private final MergePublisher publisher;
    private final Duration callDeadline;

    Answers(String account, Mirror mirror, AccountState state, MergePublisher publisher, Duration callDeadline) {
        this.account = account;
        this.mirror = mirror;
        this.state = state;
        this.publisher = publisher;
        this.callDeadline = callDeadline;
    }

    /** A successful answer: merged and published, or the operation's progress taken. */
    void settle(Action action, Instant started, Object answer, Instant now) {
        if (action instanceof Action.Send send) {
            PendingOperation operation = send.operation();
            operation.operationId = ((OperationAccepted) answer).operationId();
            state.operationSent(operation, operation.operationId, now);
            publisher.publishHealth(state.succeeded(null, now), now);
        } else if (action instanceof Action.Poll poll) {
            publisher.publishHealth(state.succeeded(null, now), now);
            state.operationProgress(poll.operation(), (DeviceOperation) answer, now);
        } else {
            publisher.answered(action, started, answer, now, state);
        }
    }

    /** A failed call: the operation is told its own failure; the account's state decides what follows. */
    void fail(Action action, Throwable failure, Instant now) {
        String why = failure instanceof TedeeException ? failure.getMessage()
                : failure instanceof TimeoutException ? describe(action) + " got no answer within " + callDeadline.toSeconds() + " s"
                : "unexpected failure: " + failure;
        if (action instanceof Action.Send send) {
            state.operationNotSent(send.operation());
            send.operation().finish(OperationOutcome.Status.FAILED, failure instanceof TedeeException || failure instanceof TimeoutException
                    ? why : "unexpected failure: " + failure.getClass().getSimpleName(), mirror.bySerial(send.operation().serialNumber).orElse(null));
        } else if (action instanceof Action.Poll poll) {
            state.pollFailed(poll.operation(), now);
        }
        if (failure instanceof TedeeException tedee) {
            publisher.publishHealth(state.failed(action, tedee, now), now);
        } else {
            if (!(failure instanceof TimeoutException)) {
                LOG.error("account {}: unexpected failure during {}; backing off", account, describe(action), failure);
            }
            if (Kind.of(action) != null) {
                publisher.publishHealth(state.failedUnexpectedly(action, why, now), now);
            }
        }
    }

    static String describe(Action action) {
        return action.getClass().getSimpleName();
    }
}
