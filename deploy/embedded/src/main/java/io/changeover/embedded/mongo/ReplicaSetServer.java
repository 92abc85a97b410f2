package io.changeover.embedded.mongo;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.wire.MongoExceptionHandler;
import de.bwaldvogel.mongo.wire.MongoWireMessageEncoder;
import de.bwaldvogel.mongo.wire.MongoWireProtocolHandler;
import de.bwaldvogel.mongo.wire.MongoWireReplyEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The network side: a netty server speaking the MongoDB wire protocol with mongo-java-server's codecs, and
 * {@link AwaitingCommandHandler} in place of its command handler so that change-stream getMores can wait for data
 * without blocking an event loop.
 */
final class ReplicaSetServer {

    private static final int ACCEPT_BACKLOG = 100;

    private final ReplicaSetBackend backend;
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private ChannelGroup clients;
    private Channel listener;

    ReplicaSetServer(ReplicaSetBackend backend) {
        this.backend = backend;
    }

    /** Listens on localhost; port 0 picks a free port. Returns the port. */
    int bind(int port) {
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("embedded-mongo-accept", true));
        workers = new NioEventLoopGroup(0, new DefaultThreadFactory("embedded-mongo-io", true));
        clients = new DefaultChannelGroup("embedded-mongo-clients", workers.next());
        try {
            listener = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .option(ChannelOption.SO_REUSEADDR, Boolean.TRUE)
                .childOption(ChannelOption.TCP_NODELAY, Boolean.TRUE)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new MongoWireReplyEncoder());
                        channel.pipeline().addLast(new MongoWireMessageEncoder());
                        channel.pipeline().addLast(new MongoWireProtocolHandler());
                        channel.pipeline().addLast(new AwaitingCommandHandler(backend, clients));
                        channel.pipeline().addLast(new MongoExceptionHandler());
                    }
                })
                .bind(new InetSocketAddress("localhost", port))
                .syncUninterruptibly()
                .channel();
            return ((InetSocketAddress) listener.localAddress()).getPort();
        } catch (RuntimeException e) {
            shutdown();
            throw new IllegalStateException("embedded MongoDB could not listen on localhost:" + port, e);
        }
    }

    /** Stops listening and disconnects every client. */
    void shutdown() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
        if (clients != null) {
            clients.close().syncUninterruptibly();
        }
        for (EventLoopGroup group : new EventLoopGroup[] {acceptor, workers}) {
            if (group != null) {
                group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }
}
