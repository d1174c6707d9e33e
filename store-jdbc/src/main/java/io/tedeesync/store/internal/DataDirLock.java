package io.tedeesync.store.internal;

import io.tedeesync.store.StoreException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <dataDir>/tedee-sync.lock}, held while a store has the directory
 * open. The store assigns event ids itself, which is only right with one writer: a second service
 * on the same directory is refused at open instead of colliding on ids later. A separate file,
 * because closing any descriptor of the database file itself would drop SQLite's own POSIX locks.
 * The OS releases the lock when the process dies. Thread-safe.
 */
final class DataDirLock implements AutoCloseable {
    static final String FILE_NAME = "tedee-sync.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DataDirLock acquire(Path dataDir) {
        Path path = dataDir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreException("cannot write in the data directory " + dataDir + ": " + e, e);
        }
        FileLock lock = null;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another store in this very JVM
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreException("cannot lock " + path + ": " + e, e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StoreException("the data directory " + dataDir + " is in use by another tedee-sync store ("
                    + FILE_NAME + " is locked): SQLite is single-instance; stop the other, point --data elsewhere, or run"
                    + " several instances on one PostgreSQL database (--database)");
        }
        return new DataDirLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // The channel is closed next, which releases the lock anyway.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to do with it.
        }
    }
}
