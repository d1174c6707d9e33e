package io.tedeesync.server;

import io.tedeesync.accounts.AccountClients;
import io.tedeesync.accounts.AccountRegistry;
import io.tedeesync.accounts.AccountSpec;
import io.tedeesync.cluster.ClusterMember;
import io.tedeesync.metrics.SyncMetrics;
import io.tedeesync.sync.AccountConfig;
import io.tedeesync.sync.MirroredLock;
import io.tedeesync.sync.SyncEngine;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How the service takes part in a cluster: which accounts it can run, and where added ones start. Stateless. */
final class Clustered {
    /** As the HTTP API writes JSON: ISO times, no nulls; the other instances serve it as it is. */
    private static final com.fasterxml.jackson.databind.ObjectMapper STATUS_JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
            .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
            .build();

    private Clustered() {
    }

    /** Accounts added at runtime start here at once, under a lease this instance takes; removed ones lose their lease row. */
    static AccountRegistry.Placement placement(ClusterMember member) {
        return new AccountRegistry.Placement() {
            @Override
            public void start(AccountConfig config, List<MirroredLock> seed) {
                member.adopt(config, seed);
            }

            @Override
            public void removed(String name) {
                member.forget(name);
            }

            @Override
            public boolean removeLeftover(String name) {
                return member.forgetLeftover(name);
            }
        };
    }

    /**
     * Joins the cluster with every account this instance knows (declared at start, stored by the accounts API)
     * and can run: the declared ones from its settings, the stored ones opened from their rows when taken.
     */
    static void join(ClusterMember member, SyncEngine engine, ServiceSettings settings, AccountRegistry registry,
            AccountClients clients, SyncMetrics metrics, int port) {
        Map<String, AccountSpec> declared = new LinkedHashMap<>();
        settings.accounts().forEach(spec -> declared.put(spec.name(), spec));
        List<String> known = new ArrayList<>(declared.keySet());
        List<String> stored = registry.storedNames();
        known.addAll(stored);
        // Opened at start only to check the key: each runs where the cluster puts it, opened afresh there.
        stored.forEach(registry::closed);
        ClusterMember.Accounts accounts = new ClusterMember.Accounts() {
            @Override
            public Optional<AccountConfig> open(String account) {
                AccountSpec spec = declared.get(account);
                return spec != null ? Optional.of(clients.engineAccount(spec, metrics.requestListener(account)))
                        : registry.openStored(account);
            }

            @Override
            public void closed(String account) {
                if (declared.containsKey(account)) {
                    metrics.forget(account);
                } else {
                    registry.closed(account);
                }
            }

            @Override
            public java.util.Collection<String> declared() {
                return declared.keySet();
            }

            @Override
            public String statusJson(String account) {
                return registry.get(account).map(view -> {
                    Map<String, Object> fields = view.fields();
                    fields.put("instance", member.view().name());
                    try {
                        return STATUS_JSON.writeValueAsString(fields);
                    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                        return null;
                    }
                }).orElse(null);
            }
        };
        String host = settings.bind().equals("0.0.0.0") || settings.bind().equals("::") ? hostName() : settings.bind();
        String literal = host.contains(":") ? "[" + host + "]" : host;
        String name = settings.cluster() != null && settings.cluster().name() != null ? settings.cluster().name() : hostName() + ":" + port;
        URI url = settings.cluster() != null && settings.cluster().url() != null ? settings.cluster().url()
                : URI.create("http://" + literal + ":" + port);
        member.start(engine, accounts, known, name, url);
    }

    static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }
}
