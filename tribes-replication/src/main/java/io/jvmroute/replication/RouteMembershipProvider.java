package io.jvmroute.replication;

import io.jvmroute.membership.MemberPayload;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.catalina.tribes.Member;
import org.apache.catalina.tribes.membership.StaticMember;
import org.apache.catalina.tribes.membership.StaticMembershipProvider;
import org.apache.juli.logging.Log;
import org.apache.juli.logging.LogFactory;
import org.apache.tomcat.util.res.StringManager;

/**
 * Static membership that believes a membership message only about its sender. A Tribes membership message names
 * its member in its body ({@code MSG_START}, {@code MSG_STOP}, {@code MSG_PING}), which the stock provider takes
 * as said: a node could stop another one (its copies then go stale silently) or publish another's state. Here the
 * body's member must be the frame's sender (same member id, same route in the payload) — the TLS receiver pins
 * the sender to the certificate's route — and one of the {@code members}; anything else is refused and logged.
 */
final class RouteMembershipProvider extends StaticMembershipProvider {

    private static final Log log = LogFactory.getLog(RouteCluster.class); // RouteCluster's messages keep its logger
    private static final StringManager sm = StringManager.getManager(RouteMembershipProvider.class);

    @Override
    public void messageReceived(Serializable msg, Member sender) {
        if (believable(msg, sender)) {
            super.messageReceived(msg, sender);
        }
    }

    @Override
    public Serializable replyRequest(Serializable msg, Member sender) {
        return believable(msg, sender) ? super.replyRequest(msg, sender) : null;
    }

    @Override
    public void leftOver(Serializable msg, Member sender) {
        if (believable(msg, sender)) {
            super.leftOver(msg, sender);
        }
    }

    private boolean believable(Serializable msg, Member sender) {
        if (!(msg instanceof MemberMessage message)) {
            return false;
        }
        String problem = problem(message.getMember(), sender);
        if (problem != null) {
            log.warn(sm.getString("routeMembership.refused", typeOf(message), describe(sender), problem));
            return false;
        }
        return true;
    }

    /** Why the member a message names may not be believed from this sender, or {@code null}. */
    String problem(Member named, Member sender) {
        if (named == null || sender == null) {
            return "no member named";
        }
        if (!Arrays.equals(named.getUniqueId(), sender.getUniqueId())) {
            return "it names member " + describe(named) + ", not its sender";
        }
        String namedRoute = route(named);
        if (!Objects.equals(namedRoute, route(sender))) {
            return "it names route " + namedRoute + ", its sender publishes " + route(sender);
        }
        boolean listed = staticMembers.stream().map(StaticMember::getUniqueId)
                .anyMatch(id -> Arrays.equals(id, named.getUniqueId()));
        if (!listed) {
            return "member " + describe(named) + " is not in members";
        }
        return null;
    }

    private static String typeOf(MemberMessage message) {
        return switch (message.getMsgtype()) {
            case MemberMessage.MSG_START -> "start";
            case MemberMessage.MSG_STOP -> "stop";
            case MemberMessage.MSG_PING -> "ping";
            default -> "type " + message.getMsgtype();
        };
    }

    private static String route(Member member) {
        return MemberPayload.decode(member.getPayload()).payload().map(MemberPayload::route).orElse(null);
    }

    private static String describe(Member member) {
        if (member == null) {
            return "unknown";
        }
        String route = route(member);
        return (route == null ? "" : route + " at ") + PeerMetrics.addressOf(member);
    }
}
