package io.tedeesync.http;

import io.javalin.http.Context;
import io.tedeesync.cluster.ClusterMember;
import io.tedeesync.cluster.Forwarder;
import io.tedeesync.store.LockStore;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import io.tedeesync.sync.MirroredLock;

/**
 * Where a request about an account goes when several instances share the accounts: here when this
 * instance owns the account, else to its owner ({@link Forwarder}), whose answer goes back as is. A
 * request that was forwarded already is answered here, whatever this instance owns. An account without a
 * live owner (moving between instances, or its owner just died) is answered 503 with a Retry-After: it
 * has an owner again within a lease. Thread-safe.
 */
final class ClusterRouting {
    /** How long an account may be without an owner: one lease and a heartbeat. */
    private static final int RETRY_AFTER_SECONDS = 2;

    private final ClusterMember member;
    private final Forwarder forwarder;
    private final LockStore store;

    ClusterRouting(ClusterMember member, Forwarder forwarder, LockStore store) {
        this.member = member;
        this.forwarder = forwarder;
        this.store = store;
    }

    /** The cluster's accounts, whose locks every instance serves (an account removed keeps its locks in the store, unserved). */
    java.util.Set<String> accounts() {
        return member.accounts();
    }

    /** This instance's name, shown with each account it owns. */
    String instanceName() {
        return member.view().name();
    }

    /** The accounts other instances own, as their owners last described them (the accounts API's JSON). */
    List<com.fasterxml.jackson.databind.JsonNode> othersAccounts() {
        List<com.fasterxml.jackson.databind.JsonNode> views = new java.util.ArrayList<>();
        Map<String, String> statuses;
        try {
            statuses = member.othersStatuses();
        } catch (io.tedeesync.store.StoreException e) {
            return views; // the store's trouble shows on /health; this instance's own accounts are still listed
        }
        statuses.forEach((account, json) -> {
            try {
                views.add(ApiJson.MAPPER.readTree(json));
            } catch (java.io.IOException e) {
                // a row another version wrote: left out of the list, still reachable by name
            }
        });
        return views;
    }

    /** Change batches the store refused since start because their lease was no longer held here. */
    long fencedBatches() {
        return store.fencedBatches();
    }

    /** What became of a request: handled here, or answered by relaying it. */
    enum Route { HERE, ANSWERED }

    /** For a route about one lock that this instance's engine does not know: relayed to its account's owner, if any. */
    Route lock(Context ctx, String serialNumber, byte[] body, Duration timeout) throws InterruptedException {
        Optional<MirroredLock> copy = copyOf(serialNumber);
        return copy.isEmpty() ? Route.HERE : account(ctx, copy.get().account(), body, timeout);
    }

    /** The stored copy of the lock, of the first account of the cluster that has it (a removed account's copies stay, unserved). */
    Optional<MirroredLock> copyOf(String serialNumber) {
        Set<String> running = member.accounts();
        return store.copiesOf(serialNumber).stream().filter(lock -> running.contains(lock.account())).findFirst();
    }

    /**
     * For a route about one account: here when the account runs here (or is nobody's: the route answers as for
     * an unknown name), relayed to its owner when another instance owns it, else (being handed over, taken
     * over, or a relayed request that found it moved) 503 with a Retry-After.
     */
    Route account(Context ctx, String account, byte[] body, Duration timeout) throws InterruptedException {
        if (member.runsHere(account)) {
            return Route.HERE;
        }
        if (member.owns(account)) {
            moving(ctx, account); // its hand-over (or start) is on its way
            return Route.ANSWERED;
        }
        Optional<URI> owner = forwarded(ctx) ? Optional.empty() : member.ownerElsewhere(account);
        if (owner.isEmpty()) {
            if (!member.knows(account) || member.cannotRun(account)) {
                return Route.HERE; // not an account of the cluster, or one nobody can run: answered as the route answers it
            }
            moving(ctx, account);
            return Route.ANSWERED;
        }
        relay(ctx, owner.get(), body, timeout);
        return Route.ANSWERED;
    }

    /**
     * A webhook this instance's engine routed nowhere: relayed to the owners of the accounts that know the
     * device (a lock shared between accounts has several); answered with the owner's answer when there is
     * one owner, else 200 once every owner answered 2xx.
     *
     * @return true when it was answered by relaying
     */
    boolean webhook(Context ctx, long deviceId, byte[] body, Duration timeout) throws InterruptedException {
        Set<String> running = member.accounts();
        List<String> accounts = store.accountsOfLockId(deviceId).stream()
                .filter(account -> running.contains(account) || member.knows(account)).toList(); // one added since the last heartbeat too
        Map<URI, String> owners = new HashMap<>();
        for (String account : accounts) {
            if (member.runsHere(account)) {
                continue; // its mirror did not know the device: answered as this instance's engine answered
            }
            if (member.owns(account) || forwarded(ctx)) {
                moving(ctx, account); // being handed over here, or moved away since the sender looked: the sender retries
                return true;
            }
            Optional<URI> owner = member.ownerElsewhere(account);
            if (owner.isEmpty()) {
                if (member.cannotRun(account)) {
                    continue; // nobody runs it and this instance cannot: as for an unknown device (its owner, once there, polls)
                }
                moving(ctx, account);
                return true;
            }
            owners.putIfAbsent(owner.get(), account);
        }
        if (owners.isEmpty()) {
            return false;
        }
        Forwarder.Answer last = null;
        for (URI owner : owners.keySet()) {
            Optional<Forwarder.Answer> answer = forwarder.forward(owner, "POST", pathAndQuery(ctx), headers(ctx), body, timeout);
            if (answer.isEmpty() || answer.get().status() / 100 != 2) {
                answer.ifPresentOrElse(failed -> send(ctx, failed), () -> unreachable(ctx, "the instance that owns this account", owner));
                return true;
            }
            last = answer.get();
        }
        send(ctx, last);
        return true;
    }

    private void relay(Context ctx, URI owner, byte[] body, Duration timeout) throws InterruptedException {
        Optional<Forwarder.Answer> answer = forwarder.forward(owner, ctx.method().name(), pathAndQuery(ctx), headers(ctx), body, timeout);
        answer.ifPresentOrElse(owned -> send(ctx, owned), () -> unreachable(ctx, "the instance that owns this account", owner));
    }

    /**
     * This request (method, path and query, the headers {@link Forwarder} carries, no body) sent to {@code instance},
     * and its answer; empty when it did not answer within {@code timeout}. For a route that answers with what it
     * gets back in its own way ({@link CursorRelay}).
     */
    Optional<Forwarder.Answer> forward(Context ctx, URI instance, Duration timeout) throws InterruptedException {
        return forwarder.forward(instance, ctx.method().name(), pathAndQuery(ctx), headers(ctx), null, timeout);
    }

    /** Where the instance with this id (unique to its start) is, if the last heartbeat saw it alive. */
    Optional<URI> liveInstance(String id) {
        for (io.tedeesync.cluster.ClusterView.Peer peer : member.view().instances()) {
            if (peer.id().equals(id) && peer.alive()) {
                return Optional.of(URI.create(peer.url()));
            }
        }
        return Optional.empty();
    }

    /** This instance's id, unique to its start (a page cursor names it). */
    String instanceId() {
        return member.owner();
    }

    /** Whether this request was relayed here by another instance (which is never relayed again). */
    static boolean forwarded(Context ctx) {
        return ctx.header(Forwarder.HEADER) != null;
    }

    private static String pathAndQuery(Context ctx) {
        String query = ctx.queryString();
        return ctx.path() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    private static Map<String, String> headers(Context ctx) {
        Map<String, String> headers = new HashMap<>();
        for (String name : Forwarder.CARRIED) {
            String value = ctx.header(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    private static void send(Context ctx, Forwarder.Answer answer) {
        ctx.status(answer.status());
        answer.headers().forEach(ctx::header);
        ctx.result(answer.body());
    }

    private static void moving(Context ctx, String account) {
        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        ApiJson.error(ctx, 503, "no_owner", "account " + account + " is moving to another instance; retry in "
                + RETRY_AFTER_SECONDS + " s");
    }

    /** {@code 503 owner_unreachable}: {@code who} (at {@code url}) did not answer a relayed request. */
    static void unreachable(Context ctx, String who, URI url) {
        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        ApiJson.error(ctx, 503, "owner_unreachable", who + " (" + url + ") did not answer; retry in " + RETRY_AFTER_SECONDS + " s");
    }
}
