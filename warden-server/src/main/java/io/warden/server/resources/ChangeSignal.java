package io.warden.server.resources;

import io.warden.server.storage.Signal;
import org.springframework.stereotype.Component;

/** Wakes watch streams when this replica commits a resource change; other replicas' changes are found by polling. */
@Component
class ChangeSignal extends Signal {
}
