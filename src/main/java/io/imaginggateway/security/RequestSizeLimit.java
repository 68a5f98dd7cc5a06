package io.imaginggateway.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The largest request body taken ({@code gateway.security.max-body-size}): a larger declared Content-Length is
 * answered 413 before anything is read; a chunked body stops being read at the limit (the reader fails, the answer
 * is 413 where it can still be given), so no request holds more than the limit in memory.
 */
final class RequestSizeLimit extends OncePerRequestFilter {

    private final long maxBytes;

    RequestSizeLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            tooLarge(response);
            return;
        }
        LimitedRequest limited = new LimitedRequest(request, maxBytes);
        try {
            chain.doFilter(limited, new SilencedOnceExceeded(response, limited));
        } catch (IOException | ServletException | RuntimeException e) {
            if (!limited.exceeded) {
                throw e;
            }
        }
        if (limited.exceeded && !response.isCommitted()) {
            response.reset();
            tooLarge(response);
        }
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
        response.setHeader("Connection", "close");
        response.setContentType("application/fhir+json");
        response.getWriter().write(OperationOutcomes.json("too-costly",
                "The request body is larger than " + maxBytes + " bytes (gateway.security.max-body-size)"));
    }

    /**
     * The response as the servlet sees it: once the body went over the limit, whatever the servlet answers to its
     * failed read (HAPI: 400) is dropped, so that the answer is the 413 above.
     */
    private static final class SilencedOnceExceeded extends HttpServletResponseWrapper {

        private final LimitedRequest request;

        SilencedOnceExceeded(HttpServletResponse response, LimitedRequest request) {
            super(response);
            this.request = request;
        }

        @Override
        public void setStatus(int status) {
            if (!request.exceeded) {
                super.setStatus(status);
            }
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            if (!request.exceeded) {
                super.sendError(status, message);
            }
        }

        @Override
        public void sendError(int status) throws IOException {
            sendError(status, null);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            return request.exceeded ? DISCARDED : super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            return request.exceeded ? new PrintWriter(OutputStream.nullOutputStream()) : super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            if (!request.exceeded) {
                super.flushBuffer();
            }
        }

        private static final ServletOutputStream DISCARDED = new ServletOutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        };
    }

    /** The request, its body counted as it is read. */
    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream limited;
        private volatile boolean exceeded;

        LimitedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (limited == null) {
                ServletInputStream in = super.getInputStream();
                limited = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        count(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        count(Math.max(n, 0));
                        return n;
                    }

                    private void count(int n) throws IOException {
                        read += n;
                        if (read > maxBytes) {
                            exceeded = true;
                            throw new IOException("Request body larger than " + maxBytes + " bytes");
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return limited;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String charset = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    charset == null ? StandardCharsets.UTF_8 : Charset.forName(charset)));
        }
    }
}
