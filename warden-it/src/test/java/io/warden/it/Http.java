package io.warden.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP API called directly, for what a test needs besides the CLI under test: preparing many
 * resources at once, or reading an answer exactly as the server sent it.
 */
final class Http {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final String server;
    private final String token;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Http(String server, String token) {
        this.server = server;
        this.token = token;
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Reply get(String path) {
        return send(request(path).GET());
    }

    Reply put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply post(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** PUTs a manifest (compact JSON, single quotes for double quotes) to its path; fails unless stored. */
    JsonNode apply(String path, String singleQuotedJson) {
        Reply reply = put(path, singleQuotedJson.replace('\'', '"'));
        if (reply.status() != 200 && reply.status() != 201) {
            throw new IllegalStateException("PUT " + path + " answered " + reply);
        }
        return reply.json();
    }

    JsonNode namespace(String name) {
        return apply("/v1/namespaces/" + name, "{'apiVersion':'warden.dev/v1','kind':'Namespace','metadata':{'name':'" + name + "'}}");
    }

    /** An exec tool running {@code echo}. */
    JsonNode tool(String namespace, String name) {
        return apply("/v1/namespaces/" + namespace + "/tools/" + name, "{'apiVersion':'warden.dev/v1','kind':'Tool','metadata':{'name':'"
                + name + "','namespace':'" + namespace + "'},'spec':{'type':'exec','exec':{'command':['echo']}}}");
    }

    /** The resourceVersion the server is at now: a list's version is the version it was read at. */
    long currentVersion() {
        Reply reply = get("/v1/namespaces?limit=1");
        if (reply.status() != 200) {
            throw new IllegalStateException("cannot read the current version: " + reply);
        }
        return Long.parseLong(reply.json().path("metadata").path("resourceVersion").asString());
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(30));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    private Reply send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
