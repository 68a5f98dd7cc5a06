package io.imaginggateway.dicom;

import java.io.IOException;
import java.util.Map;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultEndpoint;
import org.springframework.stereotype.Component;

/**
 * The Camel endpoint {@code dicom:store}: the DICOM receiver (C-ECHO/C-STORE on {@code gateway.dicom.port} as
 * {@code gateway.dicom.ae-title}) as the start of a route, so that what happens to a received instance is a route
 * file (camel-routes/dicom-receiver.camel.yaml). Each instance is one exchange, body {@link ReceivedInstance},
 * processed before its C-STORE is answered: the exception the route ends with decides the status (a conflict A778, an
 * instance not usable C000, anything else A700). The receiver listens while the route runs.
 */
@Component("dicom")
class DicomComponent extends DefaultComponent {

    private final DicomReceiver receiver;

    DicomComponent(DicomReceiver receiver) {
        this.receiver = receiver;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        if (!remaining.equals("store")) {
            throw new IllegalArgumentException(uri + ": the DICOM endpoint is dicom:store");
        }
        return new StoreEndpoint(uri, this);
    }

    private static final class StoreEndpoint extends DefaultEndpoint {

        StoreEndpoint(String uri, DicomComponent component) {
            super(uri, component);
        }

        @Override
        public Producer createProducer() {
            throw new UnsupportedOperationException("dicom:store receives; it does not send");
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            return new StoreConsumer(this, processor, ((DicomComponent) getComponent()).receiver);
        }
    }

    private static final class StoreConsumer extends DefaultConsumer {

        private final DicomReceiver receiver;

        StoreConsumer(Endpoint endpoint, Processor processor, DicomReceiver receiver) {
            super(endpoint, processor);
            this.receiver = receiver;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            receiver.start(this::take);
        }

        @Override
        protected void doStop() throws Exception {
            receiver.stop();
            super.doStop();
        }

        /** Runs the route for one instance; what it failed with is thrown, for the C-STORE status. */
        private void take(ReceivedInstance received) throws IOException {
            Exchange exchange = createExchange(false);
            Exception failure;
            try {
                exchange.getIn().setBody(received);
                getProcessor().process(exchange);
                failure = exchange.getException();
            } catch (Exception e) {
                failure = e;
            } finally {
                releaseExchange(exchange, false);
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure != null) {
                throw failure instanceof RuntimeException runtime ? runtime : new RuntimeCamelException(failure);
            }
        }
    }
}
