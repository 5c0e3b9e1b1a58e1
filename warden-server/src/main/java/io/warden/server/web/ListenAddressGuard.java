package io.warden.server.web;

import io.warden.server.WardenProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Refuses to start on a non-loopback address: the API has no authentication yet, so anything
 * but loopback would hand the control plane to the network.
 */
@Component
class ListenAddressGuard implements InitializingBean {

    private final String bind;

    ListenAddressGuard(WardenProperties props) {
        this.bind = props.bind();
    }

    @Override
    public void afterPropertiesSet() {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve bind address '" + bind + "'");
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalStateException("refusing to listen on " + bind
                    + ": this version of Warden has no authentication, so it listens on loopback only"
                    + " (use 127.0.0.1 or ::1)");
        }
    }
}
