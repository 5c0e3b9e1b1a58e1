package io.warden.cli;

/** One task of a namespace, and the API paths for it (docs/reference/tasks.md). */
record TaskRef(String namespace, String id) {

    /** {@code /v1/namespaces/{ns}/tasks}: where tasks are submitted and listed. */
    static String collection(String namespace) {
        return "/v1/namespaces/" + ResourceRef.segment(namespace) + "/tasks";
    }

    /** {@code /v1/namespaces/{ns}/tasks/{id}}. */
    String path() {
        return collection(namespace) + "/" + ResourceRef.segment(id);
    }

    /** {@code .../tasks/{id}/cancel}, {@code .../retry}, {@code .../events}. */
    String path(String action) {
        return path() + "/" + action;
    }

    /** {@code task 0f5c...}, for messages. */
    String display() {
        return "task " + Text.cell(id);
    }

    /** A 404 as {@code task "x" not found in namespace "ns"}; other refusals unchanged. */
    RuntimeException explain(ApiException e) {
        return e.status() == 404
                ? CliException.error("task \"" + Text.cell(id) + "\" not found in namespace \"" + Text.cell(namespace) + "\"")
                : e;
    }
}
