package io.jvmroute.valve;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.ha.CatalinaCluster;
import org.apache.catalina.tribes.Member;

/**
 * Where a balancer reaches this node: the first plain HTTP connector and the first AJP connector of its Service,
 * as {@code host:port}. The host is the valve's {@code frontHost} when set, else the connector's own address,
 * else the cluster member's address (a connector bound to every address says nothing about which one peers can
 * use), else this host's address.
 *
 * @param http the HTTP front, or the empty string when the Service has no plain HTTP connector
 * @param ajp  the AJP front, or the empty string
 */
record FrontAddresses(String http, String ajp) {

    static final FrontAddresses NONE = new FrontAddresses("", "");

    /** Reads the started connectors (a port configured as 0 is known only once its connector is bound). */
    static FrontAddresses of(Service service, CatalinaCluster cluster, String frontHost) {
        String http = "";
        String ajp = "";
        for (Connector connector : service.findConnectors()) {
            int port = connector.getLocalPort() > 0 ? connector.getLocalPort() : connector.getPort();
            if (port <= 0) {
                continue;
            }
            boolean isAjp = connector.getProtocolHandlerClassName().contains("Ajp");
            String address = host(connector, cluster, frontHost) + ":" + port;
            if (isAjp && ajp.isEmpty()) {
                ajp = address;
            } else if (!isAjp && http.isEmpty() && !connector.getSecure() && "http".equals(connector.getScheme())) {
                http = address;
            }
        }
        return new FrontAddresses(http, ajp);
    }

    private static String host(Connector connector, CatalinaCluster cluster, String frontHost) {
        if (frontHost != null && !frontHost.isEmpty()) {
            return frontHost;
        }
        if (connector.getProperty("address") instanceof InetAddress bound && !bound.isAnyLocalAddress()) {
            return literal(bound);
        }
        Member local = cluster == null || cluster.getChannel() == null ? null : cluster.getChannel().getLocalMember(false);
        if (local != null) {
            try {
                InetAddress member = InetAddress.getByAddress(local.getHost());
                if (!member.isAnyLocalAddress()) {
                    return literal(member);
                }
            } catch (UnknownHostException e) {
                // a member address of an odd length: fall through to this host's address
            }
        }
        try {
            return literal(InetAddress.getLocalHost());
        } catch (UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    private static String literal(InetAddress address) {
        String text = address.getHostAddress();
        return text.indexOf(':') >= 0 ? "[" + text + "]" : text;
    }
}
