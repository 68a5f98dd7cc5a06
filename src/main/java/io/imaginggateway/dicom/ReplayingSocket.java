package io.imaginggateway.dicom;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;

/**
 * An accepted connection as PixelMed gets it: its input starts again with the A-ASSOCIATE-RQ the receiver has read
 * already, then goes on with the PDU-limited input; everything else is the connection's (the methods PixelMed uses).
 */
final class ReplayingSocket extends Socket {

    private final Socket connection;
    private final InputStream input;

    ReplayingSocket(Socket connection, byte[] alreadyRead, InputStream rest) {
        this.connection = connection;
        this.input = new SequenceInputStream(new ByteArrayInputStream(alreadyRead), rest);
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return connection.getOutputStream();
    }

    @Override
    public synchronized void close() throws IOException {
        connection.close();
    }

    @Override
    public boolean isClosed() {
        return connection.isClosed();
    }

    @Override
    public boolean isConnected() {
        return connection.isConnected();
    }

    @Override
    public void shutdownOutput() throws IOException {
        connection.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        connection.shutdownInput();
    }

    @Override
    public InetAddress getInetAddress() {
        return connection.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return connection.getLocalAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return connection.getLocalSocketAddress();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return connection.getRemoteSocketAddress();
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return connection.getReceiveBufferSize();
    }

    @Override
    public synchronized void setReceiveBufferSize(int size) throws SocketException {
        connection.setReceiveBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return connection.getSendBufferSize();
    }

    @Override
    public synchronized void setSendBufferSize(int size) throws SocketException {
        connection.setSendBufferSize(size);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return connection.getSoLinger();
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return connection.getSoTimeout();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        connection.setSoTimeout(timeout);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return connection.getTcpNoDelay();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        connection.setTcpNoDelay(on);
    }
}
