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
        return of(response.body());
    }

    /** A JSON body read some other way (off a raw socket, say). */
    public static JsonNode of(String body) {
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("response is not JSON: " + body, e);
        }
    }
}
