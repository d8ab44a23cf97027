package io.jvmroute.replication;

import org.apache.catalina.tribes.membership.StaticMembershipProvider;
import org.apache.catalina.tribes.membership.StaticMembershipService;

/**
 * Static membership whose members recognise each other whatever their cluster names. The stock service names
 * its membership after the channel, hence after the cluster name, and silently ignores members whose name
 * differs; members of a {@link RouteCluster} are defined by the {@code members} list alone, and a membership
 * message is believed only about its sender ({@link RouteMembershipProvider}).
 */
final class RouteMembershipService extends StaticMembershipService {

    static final String MEMBERSHIP_NAME = "jvmroute-StaticMembership";

    @Override
    protected StaticMembershipProvider buildMembershipProvider() throws Exception {
        // As StaticMembershipService does, except for the name.
        StaticMembershipProvider provider = new RouteMembershipProvider();
        provider.setChannel(channel);
        provider.setMembershipListener(this);
        provider.setMembershipService(this);
        provider.setStaticMembers(staticMembers);
        properties.setProperty("membershipName", MEMBERSHIP_NAME);
        provider.init(properties);
        return provider;
    }
}
