package io.changeover.embedded.mongo;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.exception.MongoServerException;
import de.bwaldvogel.mongo.wire.MongoDatabaseHandler;
import de.bwaldvogel.mongo.wire.message.ClientRequest;
import de.bwaldvogel.mongo.wire.message.MessageHeader;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.group.ChannelGroup;

/**
 * mongo-java-server's command handler, with one addition: a getMore on a change stream may complete later (when an
 * event arrives or its wait times out). Its reply is then written from whichever thread completes it, so the netty
 * event loop never blocks and keeps serving the other connections it owns. The MongoDB wire protocol sends one
 * request at a time per connection, so a connection has nothing else to answer while its getMore waits.
 */
final class AwaitingCommandHandler extends MongoDatabaseHandler {

    private static final AtomicInteger REPLY_IDS = new AtomicInteger(1 << 30);

    private final ReplicaSetBackend backend;

    AwaitingCommandHandler(ReplicaSetBackend backend, ChannelGroup channels) {
        super(backend, channels);
        this.backend = backend;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ClientRequest request) {
        if (request instanceof MongoMessage message) {
            Document body = message.getDocument();
            String command = body.isEmpty() ? "" : body.keySet().iterator().next();
            CompletableFuture<Document> pending = backend.handleAwaitable(command, body);
            if (pending != null) {
                pending.whenComplete((reply, failure) -> ctx.channel().writeAndFlush(
                    new MongoMessage(ctx.channel(), header(message), failure == null ? reply : error(failure))));
                return;
            }
        }
        super.channelRead0(ctx, request);
    }

    private static MessageHeader header(ClientRequest request) {
        return new MessageHeader(REPLY_IDS.incrementAndGet(), request.getHeader().getRequestID());
    }

    private static Document error(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure;
        Document reply = new Document("ok", 0.0);
        if (cause instanceof MongoServerException serverException) {
            reply.put("errmsg", serverException.getMessageWithoutErrorCode());
        } else {
            reply.put("errmsg", "getMore failed: " + cause);
        }
        if (cause instanceof MongoServerError serverError) {
            reply.put("code", serverError.getCode());
            reply.putIfNotNull("codeName", serverError.getCodeName());
        }
        return ChangeStreamErrors.labelled(reply);
    }
}
