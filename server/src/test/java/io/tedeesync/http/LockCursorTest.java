package io.tedeesync.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LockCursor}: what it encodes comes back, and anything else is {@code 400 bad_cursor}. */
class LockCursorTest {
    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCursorComesBackAsItWent() {
        LockCursor cursor = new LockCursor("instance-1/a1b2c3", "Zm9vYmFyYmF6cXV4", 700);

        String text = cursor.encode();

        assertThat(text).matches("[A-Za-z0-9_-]+");
        assertThat(LockCursor.decode(text)).isEqualTo(cursor);
    }

    @Test
    void anythingElseIsABadCursor() {
        List<String> bad = List.of("", "not a cursor", "abc=", "%%%", base64("not json"), base64("{}"), base64("[1,2]"), base64("null"),
                base64("{\"i\":\"local\",\"s\":\"x\"}"), base64("{\"i\":\"local\",\"s\":\"x\",\"p\":0}"),
                base64("{\"i\":\"local\",\"s\":\"x\",\"p\":-3}"), base64("{\"i\":\"local\",\"s\":\"x\",\"p\":\"7\",\"extra\":1}"),
                base64("{\"i\":null,\"s\":\"x\",\"p\":7}"), "A".repeat(401));
        for (String text : bad) {
            assertThatThrownBy(() -> LockCursor.decode(text)).as(text).isInstanceOfSatisfying(QueryParameters.Problem.class, problem -> {
                assertThat(problem.status()).isEqualTo(400);
                assertThat(problem.code()).isEqualTo("bad_cursor");
            });
        }
    }
}
