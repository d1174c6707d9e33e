package io.tedeesync.sync.internal;

import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedder's say, asked right before each call, on whether the engine may call Tedee for an account
 * now (in a cluster: whether this instance still holds the account's lease). A predicate that throws is
 * a bug: it counts as a refusal, and is logged once until it answers again, not once per account and
 * second. Thread-safe.
 */
public final class CallPermit {
    private static final Logger LOG = LoggerFactory.getLogger(CallPermit.class);
    /** The default: every call may go. */
    public static final CallPermit ALWAYS = new CallPermit(account -> true);

    private final Predicate<String> mayCall;
    private volatile boolean broken;

    public CallPermit(Predicate<String> mayCall) {
        this.mayCall = Objects.requireNonNull(mayCall, "mayCall");
    }

    /** Whether a call for this account may be sent now. */
    public boolean allows(String account) {
        try {
            boolean allowed = mayCall.test(account);
            broken = false;
            return allowed;
        } catch (RuntimeException bug) {
            if (!broken) {
                broken = true;
                LOG.error("the call permit failed for account {}; no call of any account it fails for until it answers", account, bug);
            }
            return false;
        }
    }
}
