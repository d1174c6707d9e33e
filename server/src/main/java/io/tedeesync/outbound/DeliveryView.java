package io.tedeesync.outbound;

import io.tedeesync.store.AttemptRow;
import io.tedeesync.store.DeliveryRow;
import java.util.List;

/** One delivery with its attempts, oldest first. Immutable. */
public record DeliveryView(DeliveryRow delivery, List<AttemptRow> attempts) {
    public DeliveryView {
        attempts = List.copyOf(attempts);
    }
}
