package io.tandem.director.zk;

import java.io.IOException;
import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.data.Stat;

/** Writes a configuration to its znode (creating the znode and its parents when missing). */
public final class ZnodeWriter {
    private ZnodeWriter() {
    }

    /**
     * Writes {@code data} to {@code locator}'s znode; returns the znode's version after the write.
     *
     * @throws IOException when the ensemble does not answer within {@code timeout} or the write fails
     */
    public static int write(ZnodeLocator locator, byte[] data, Duration timeout) throws IOException {
        try (CuratorFramework client = ZnodeConfigSource.connect(locator, timeout)) {
            Stat stat = client.checkExists().forPath(locator.path());
            if (stat == null) {
                client.create().creatingParentsIfNeeded().forPath(locator.path(), data);
                return 0;
            }
            return client.setData().forPath(locator.path(), data).getVersion();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(locator + ": cannot write the znode: " + e, e);
        }
    }
}
