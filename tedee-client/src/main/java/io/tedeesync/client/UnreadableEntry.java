package io.tedeesync.client;

import java.util.Objects;

/**
 * One element of a list answer (get-all, sync) that could not be read, while the others could: the
 * answer is kept and this element skipped. What the element was is told as far as it could be read.
 *
 * <p>Treat the lock it names (when it names one) as "not observed this time", never as removed.
 *
 * @param id           the element's {@code id} if it could be read as a whole number, otherwise null
 * @param serialNumber the element's {@code serialNumber} if it was text, otherwise null (sync answers never carry one)
 * @param reason       a short sentence saying which field was wrong and why; never a credential, long values abbreviated
 */
public record UnreadableEntry(Long id, String serialNumber, String reason) {

    public UnreadableEntry {
        Objects.requireNonNull(reason, "reason");
        if (reason.isBlank()) {
            throw new IllegalArgumentException("reason must not be blank");
        }
    }
}
