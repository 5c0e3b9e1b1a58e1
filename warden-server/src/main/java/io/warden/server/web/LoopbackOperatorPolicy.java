package io.warden.server.web;

import org.springframework.stereotype.Component;

/**
 * Interim policy: the local operator may do everything; nobody else exists yet. Sound only
 * with the loopback-only listener that {@link ListenAddressGuard} enforces.
 */
@Component
class LoopbackOperatorPolicy implements AccessPolicy {

    @Override
    public Decision decide(AccessRequest request) {
        if (request.verb() == Verb.PUBLIC || Caller.LOCAL_OPERATOR.equals(request.caller())) {
            return new Allow();
        }
        return new Deny("unknown caller", false);
    }
}
