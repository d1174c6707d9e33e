package io.tedeesync.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Lines as Jetty 12, HikariCP and our own code really write them at DEBUG, with their secrets taken out. */
class RedactionTest {

    @Test
    void theWebhookSecretLeavesEveryUriWhateverFollowsIt() {
        assertThat(Redaction.redact("HANDLE POST@2e22f9f6 http://127.0.0.1:18982/webhooks/tedee/whsec-S3cret HTTP/1.1 oejsi.HttpConnection@ef6ee00"))
                .isEqualTo("HANDLE POST@2e22f9f6 http://127.0.0.1:18982/webhooks/tedee/*** HTTP/1.1 oejsi.HttpConnection@ef6ee00");
        assertThat(Redaction.redact("onRequest POST{u=http://127.0.0.1:1/webhooks/tedee/a,b;c(d)=e,HTTP/1.1,h=5}"))
                .doesNotContain("a,b;c(d)=e").contains("/webhooks/tedee/***");
        assertThat(Redaction.redact("a=IDLE,uri=http://127.0.0.1:1/webhooks/tedee/whsec-S3cret,age=6}")).doesNotContain("whsec");
    }

    @Test
    void credentialsInHeadersAndQueriesAreHidden() {
        assertThat(Redaction.redact("parsedHeader(Authorization: Bearer apitok-S3cret) header=Authorization, valueString=[Bearer apitok-S3cret]"))
                .isEqualTo("parsedHeader(Authorization: Bearer ***) header=Authorization, valueString=[Bearer ***]");
        assertThat(Redaction.redact("Authorization: PersonalKey pk.S3cret+/="))
                .isEqualTo("Authorization: PersonalKey ***");
        assertThat(Redaction.redact("GET http://h/api/events/stream?after=0&access_token=apitok-S3cret HTTP/1.1"))
                .isEqualTo("GET http://h/api/events/stream?after=0&access_token=*** HTTP/1.1");
        assertThat(Redaction.redact("jdbc:postgresql://db/tedee?user=sync&password=S3cret"))
                .isEqualTo("jdbc:postgresql://db/tedee?user=sync&password=***");
        assertThat(Redaction.redact("{\"access_token\":\"eyJ.S3cret\",\"refresh_token\": \"r-S3cret\",\"expires_in\":3600}"))
                .isEqualTo("{\"access_token\":\"***\",\"refresh_token\": \"***\",\"expires_in\":3600}");
    }

    @Test
    void jettysBufferDumpsLoseTheirBytesEvenWhenCutInsideASecret() {
        String dump = "HeapByteBuffer@533fe33[p=0,l=127,c=8192,r=127]={<<<GET /api/locks HTTP/1.1\\r\\n...rer apitok-S3cret\\r\\n\\r\\n>>>"
                + "pitok-S3c...\\x00\\x00\\x00\\x00\\x00\\x00\\x00} oejsi.HttpConnection@ef6ee00";

        assertThat(Redaction.redact(dump)).isEqualTo("HeapByteBuffer@533fe33[p=0,l=127,c=8192,r=127]={<<<***>>>} oejsi.HttpConnection@ef6ee00");
    }

    @Test
    void aLineWithoutSecretsIsLeftAsItIs() {
        String line = "account home: 3 lock(s) mirrored; LOCKED -> UNLOCKED, stateCode=6, {\"type\":\"Added\"}";

        assertThat(Redaction.redact(line)).isSameAs(line);
    }
}
