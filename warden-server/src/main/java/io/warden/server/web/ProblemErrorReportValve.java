package io.warden.server.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Replaces Tomcat's HTML error page for requests the container refuses before Warden's own code
 * runs (a malformed URL, an encoded slash): the answer is still problem+json with a request id.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        Object existing = request.getAttribute(RequestIds.ATTRIBUTE);
        String id = existing != null ? existing.toString() : UUID.randomUUID().toString();
        String json = "{\"type\":\"" + Problems.TYPE_PREFIX + "http-" + status + "\",\"title\":\"Request refused\","
                + "\"status\":" + status + ",\"requestId\":\"" + id + "\"}";
        try {
            response.setContentType(Problems.MEDIA_TYPE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.setHeader(RequestIds.HEADER, id);
            SecurityHeaders.apply(response::setHeader, request.isSecure());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(json);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone; nothing left to tell the client
        }
    }
}
