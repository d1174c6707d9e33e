package io.tedeesync.benchmarks.scale;

import java.util.Locale;

/**
 * The names of the scale benchmark's accounts and locks, the same in the simulator process and in the
 * rig: account {@code i} is {@code acct-00042} with the personal key {@code scale-key-00042}, its lock
 * {@code j} has the serial {@code 100042-00003}. Keys of a simulator, not secrets. Stateless.
 */
final class ScaleWorld {
    private ScaleWorld() {
    }

    static String accountName(int account) {
        return String.format(Locale.ROOT, "acct-%05d", account);
    }

    /** The index of an account named by {@link #accountName}. */
    static int accountIndex(String name) {
        return Integer.parseInt(name.substring(name.indexOf('-') + 1));
    }

    static String personalKey(int account) {
        return String.format(Locale.ROOT, "scale-key-%05d", account);
    }

    static String serial(int account, int lock) {
        return String.format(Locale.ROOT, "%06d-%05d", 100_000 + account, lock);
    }

    /** Every lock's serial, account by account. */
    static java.util.List<String> serials(int accounts, int locksPerAccount) {
        java.util.List<String> serials = new java.util.ArrayList<>(accounts * locksPerAccount);
        for (int account = 0; account < accounts; account++) {
            for (int lock = 0; lock < locksPerAccount; lock++) {
                serials.add(serial(account, lock));
            }
        }
        return serials;
    }

    static String lockName(int lock) {
        return "Door " + (lock + 1);
    }
}
