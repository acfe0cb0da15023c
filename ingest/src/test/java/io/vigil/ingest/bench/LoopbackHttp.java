package io.vigil.ingest.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmark's load generator: one persistent HTTP/1.1 connection that POSTs pre-rendered
 * requests and reads each response whole (status, headers, Content-Length or chunked body), in the
 * manner of wrk. The service sees ordinary HTTP/1.1 keep-alive traffic; the generator costs the
 * shared two cores far less than {@code java.net.http.HttpClient} (about 1.5 µs per reading of CPU
 * on this machine), which would otherwise be charged to the HTTP side of the comparison.
 *
 * <p>Not thread-safe: one connection per client thread.
 */
final class LoopbackHttp implements AutoCloseable {
  private final URI uri;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  LoopbackHttp(URI uri) {
    this.uri = uri;
  }

  /** The bytes of a complete POST request (request line, headers, body). */
  static byte[] post(URI uri, String token, byte[] body) {
    String head =
        "POST "
            + uri.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\nContent-Type: application/json\r\nAuthorization: Bearer "
            + token
            + "\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, request, 0, headBytes.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return request;
  }

  /** Sends one pre-rendered request and returns the response. */
  Response send(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket(uri.getHost(), uri.getPort());
      socket.setTcpNoDelay(true);
      out = socket.getOutputStream();
      in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    }
    out.write(request);
    out.flush();
    String status = line();
    if (!status.startsWith("HTTP/1.1 ")) {
      throw new IOException("not an HTTP/1.1 response: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    int length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Integer.parseInt(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        close = true;
      }
    }
    byte[] body;
    if (chunked) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().trim(), 16); size > 0; ) {
        all.write(in.readNBytes(size));
        line();
        size = Integer.parseInt(line().trim(), 16);
      }
      line();
      body = all.toByteArray();
    } else if (length >= 0) {
      body = in.readNBytes(length);
    } else {
      throw new IOException("response without Content-Length or chunked body: " + status);
    }
    if (close) {
      close();
    }
    return new Response(code, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("connection closed mid-response");
      }
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      socket.close();
      socket = null;
    }
  }

  /** Status code and body of one response. */
  record Response(int status, String body) {}
}
