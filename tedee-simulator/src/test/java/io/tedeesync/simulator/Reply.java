package io.tedeesync.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpHeaders;

/** An HTTP answer as tests read it; {@code json} is null when the body is not JSON. */
record Reply(int status, HttpHeaders headers, String body, JsonNode json) {

    JsonNode result() {
        return json.get("result");
    }
}
