package io.jvmroute.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemberListTest {

    @Test
    void parsesRoutesAddressesAndPortsInOrder() {
        MemberList list = MemberList.parse(" jvm1=10.0.0.1:4000 , jvm2=[::1]:4001,jvm3=node3.example:4002");
        assertThat(list.entries()).extracting(MemberList.Entry::route).containsExactly("jvm1", "jvm2", "jvm3");
        assertThat(list.find("jvm2").orElseThrow().host()).isEqualTo("::1");
        assertThat(list.find("jvm3").orElseThrow().port()).isEqualTo(4002);
        assertThat(list.peersOf("jvm2")).extracting(MemberList.Entry::route).containsExactly("jvm1", "jvm3");
        assertThat(list).hasToString("jvm1=10.0.0.1:4000,jvm2=::1:4001,jvm3=node3.example:4002");
    }

    @Test
    void uniqueIdsAreSixteenBytesDerivedFromTheRouteAlone() {
        MemberList.Entry a = MemberList.parse("jvm1=10.0.0.1:4000").entries().get(0);
        MemberList.Entry b = MemberList.parse("jvm1=10.0.0.9:5000").entries().get(0);
        MemberList.Entry c = MemberList.parse("jvm2=10.0.0.1:4000").entries().get(0);
        assertThat(a.uniqueId()).hasSize(16).isEqualTo(b.uniqueId()).isNotEqualTo(c.uniqueId());
    }

    @Test
    void refusesWhatIsAmbiguousOrMalformed() {
        assertThatThrownBy(() -> MemberList.parse("jvm1=a:1,jvm1=b:1")).hasMessageContaining("route jvm1 is listed twice");
        assertThatThrownBy(() -> MemberList.parse("jvm1=a:1,jvm2=a:1")).hasMessageContaining("share the address a:1");
        assertThatThrownBy(() -> MemberList.parse("jvm1=a:0")).hasMessageContaining("expected: 1..65535");
        assertThatThrownBy(() -> MemberList.parse("jvm1=a:x")).hasMessageContaining("expected: 1..65535");
        assertThatThrownBy(() -> MemberList.parse("jvm1a:4000")).hasMessageContaining("expected: route=host:port");
        assertThatThrownBy(() -> MemberList.parse("jvm1=a")).hasMessageContaining("expected: route=host:port");
        assertThatThrownBy(() -> MemberList.parse("jv m1=a:4000")).hasMessageContaining("not a usable route");
        assertThatThrownBy(() -> MemberList.parse(" , ")).hasMessageContaining("lists no member");
        assertThatThrownBy(() -> MemberList.parse("")).hasMessageContaining("members: empty");
    }
}
