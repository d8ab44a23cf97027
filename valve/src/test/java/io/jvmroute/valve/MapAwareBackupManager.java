package io.jvmroute.valve;

import org.apache.catalina.ha.ClusterManager;
import org.apache.catalina.ha.session.BackupManager;
import org.apache.catalina.tribes.tipis.AbstractReplicatedMap;

/**
 * A stock BackupManager that tells a test how many peers its replicated map has joined: a session stored
 * before the maps know each other gets no proxy on the late map, so tests wait for this first.
 */
final class MapAwareBackupManager extends BackupManager {

    int mapPeers() {
        return sessions instanceof AbstractReplicatedMap<?, ?> map ? map.getMapMembers().length : 0;
    }

    /** The cluster clones its template per context; the clone must be of this class too. */
    @Override
    public ClusterManager cloneFromTemplate() {
        MapAwareBackupManager copy = new MapAwareBackupManager();
        clone(copy);
        return copy;
    }
}
