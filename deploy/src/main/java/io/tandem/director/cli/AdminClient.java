package io.tandem.director.cli;

import io.tandem.director.run.JsonReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Reads the running director's /status from its admin HTTP (what {@code status} and {@code ipvsadm} show). */
final class AdminClient {
    private AdminClient() {
    }

    static String get(String base, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.replaceAll("/+$", "") + path))
                .timeout(Duration.ofSeconds(5)).GET();
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
            HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (java.net.ConnectException e) {
                throw new IOException("cannot reach the director's admin HTTP at " + base
                        + " (expected: a running 'tandem run'; --admin URL names another)", e);
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + " from " + base + ": HTTP " + response.statusCode()
                        + " (expected: 200)");
            }
            return response.body();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status(String base, String token) throws IOException, InterruptedException {
        Object doc = JsonReader.read(get(base, "/status", token));
        if (!(doc instanceof Map<?, ?> map)) {
            throw new IOException("/status from " + base + " is not a JSON object");
        }
        if (map.containsKey("error")) {
            throw new IOException("the director reported: " + map.get("error"));
        }
        return (Map<String, Object>) map;
    }
}
