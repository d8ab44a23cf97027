package io.jvmroute.balancer;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * The socket transport: io_uring on Linux where the kernel allows it, else native epoll, else NIO.
 *
 * <p>io_uring comes first because a proxy spends most of its time in the kernel: with epoll every request
 * costs four socket syscalls plus the waits, while io_uring submits the reads and writes of all connections
 * of an event loop in one call. Measured with wrk through two Tomcat nodes on 2 cores, it cut the
 * balancer's kernel time per request by about a sixth (benchmarks/balancer.sh). Kernels or containers that refuse
 * io_uring (seccomp, {@code kernel.io_uring_disabled}) fall back to epoll without a word from the operator.
 */
public record Transport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel,
                        Class<? extends SocketChannel> socketChannel) {

    /** The first of io_uring, epoll, NIO that loads; {@code -Djvmroute.transport=epoll|nio} caps the choice. */
    public static Transport best() {
        String wanted = System.getProperty("jvmroute.transport", "io_uring");
        if (wanted.equals("io_uring") && IoUring.isAvailable()) {
            return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel.class,
                    IoUringSocketChannel.class);
        }
        if (!wanted.equals("nio") && Epoll.isAvailable()) {
            return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class, EpollSocketChannel.class);
        }
        return nio();
    }

    public static Transport nio() {
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }

    public EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
    }
}
