package dev.headend.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;

/** Reads JSON response bodies. */
public final class ResponseJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponseJson() {}

    public static JsonNode of(HttpResponse<String> response) {
        try {
            return MAPPER.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new AssertionError("response is not JSON: " + response.body(), e);
        }
    }
}
