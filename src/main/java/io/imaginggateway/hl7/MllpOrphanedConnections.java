package io.imaginggateway.hl7;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.apache.camel.component.mllp.internal.TcpServerConsumerValidationRunnable;
import org.apache.camel.component.mllp.internal.TcpSocketConsumerRunnable;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Closes each MLLP connection camel-mllp stops reading. When a frame grows over the limit
 * ({@code gateway.hl7.max-frame-bytes}), camel-mllp 4.17's reader of the connection ends with an exception (in its
 * first reader, silently: the exception stays in a Future nobody reads) and leaves the socket open: the sender would
 * wait forever, blocked in its write, until a garbage collection happened to close the socket. So a consumer's two
 * thread pools are wrapped, before the consumer starts, by ones that close a connection whose reader has ended
 * without handing it on. {@code BoundedInputIT} shows it; a camel-mllp upgrade that renames the pools fails the
 * start here rather than silently.
 */
@Component
class MllpOrphanedConnections extends LifecycleStrategySupport {

    private static final Logger log = LoggerFactory.getLogger(MllpOrphanedConnections.class);

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (service instanceof MllpTcpServerConsumer consumer) {
            wrap(consumer, "validationExecutor");
            wrap(consumer, "consumerExecutor");
        }
    }

    private static void wrap(MllpTcpServerConsumer consumer, String pool) {
        try {
            Field field = MllpTcpServerConsumer.class.getDeclaredField(pool);
            field.setAccessible(true);
            field.set(consumer, new ClosingOrphans((ExecutorService) field.get(consumer)));
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("camel-mllp changed: its consumer has no thread pool '" + pool + "'", e);
        }
    }

    /** A consumer's pool whose readers, once ended, leave no connection open. */
    private static final class ClosingOrphans extends AbstractExecutorService {

        private final ExecutorService pool;

        ClosingOrphans(ExecutorService pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable reader) {
            pool.execute(guarded(reader));
        }

        /** camel-mllp submits its readers: the wrapper must see them, not the Future around them. */
        @Override
        public Future<?> submit(Runnable reader) {
            return pool.submit(guarded(reader));
        }

        private static Runnable guarded(Runnable reader) {
            return () -> {
                try {
                    reader.run();
                } catch (RuntimeException e) {
                    // the first reader (validation) failed: its connection goes nowhere now
                    if (reader instanceof TcpServerConsumerValidationRunnable first) {
                        log.warn("MLLP connection {} closed: {}", first.getCombinedAddress(), e.getMessage());
                        first.resetSocket();
                    }
                    throw e;
                } finally {
                    if (reader instanceof TcpSocketConsumerRunnable consuming) {
                        close(consuming.getSocket());
                    }
                }
            };
        }

        @Override
        public void shutdown() {
            pool.shutdown();
        }

        @Override
        public List<Runnable> shutdownNow() {
            return pool.shutdownNow();
        }

        @Override
        public boolean isShutdown() {
            return pool.isShutdown();
        }

        @Override
        public boolean isTerminated() {
            return pool.isTerminated();
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return pool.awaitTermination(timeout, unit);
        }
    }

    /** A connection whose reader ended: closed, if camel-mllp left it open. */
    private static void close(Socket socket) {
        if (socket != null && !socket.isClosed()) {
            log.warn("MLLP connection from {} closed: camel-mllp stopped reading it (a frame over"
                    + " gateway.hl7.max-frame-bytes, or the failure it logged before)", socket.getRemoteSocketAddress());
            try {
                socket.close();
            } catch (IOException e) {
                // closed anyway
            }
        }
    }
}
