package io.vigil.alerts.app;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A live stream (SSE) read over a plain socket whose receive buffer is small and which reads only
 * when the test says so: a nurse's tab that stopped reading (a phone asleep, a busy browser) stays
 * behind for as long as the test likes, with the server's TCP writes blocked after a few KiB.
 */
final class SlowSseReader implements Closeable {
  /** One server-sent event: its name, id and data. */
  record Sse(String name, String id, String data) {}

  private final Socket socket;
  private final InputStream in;
  private final List<Sse> events = new ArrayList<>();
  private final Map<String, Sse> lastById = new LinkedHashMap<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private String name = "message";
  private String id;
  private final StringBuilder data = new StringBuilder();
  private long chunkLeft;
  private boolean ended;

  private SlowSseReader(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 1024);
  }

  /** Opens {@code /api/stream} with the session's {@code cookie} and reads the answer's head. */
  static SlowSseReader open(URI base, String cookie) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096); // before connecting, so the window stays small
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    SlowSseReader r = new SlowSseReader(socket);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET /api/stream HTTP/1.1\r\nHost: "
                + base.getHost()
                + ":"
                + base.getPort()
                + "\r\nAccept: text/event-stream\r\nCookie: "
                + cookie
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    socket.setSoTimeout(10_000);
    String status = r.headLine();
    if (!status.startsWith("HTTP/1.1 200")) {
      socket.close();
      throw new IOException("/api/stream answered " + status);
    }
    boolean chunked = false;
    for (String h = r.headLine(); !h.isEmpty(); h = r.headLine()) {
      chunked |= h.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
    }
    if (!chunked) {
      socket.close();
      throw new IOException("/api/stream is not chunked");
    }
    return r;
  }

  /** Every event read so far, in order. */
  List<Sse> events() {
    return events;
  }

  /** The last event of each event name and id read so far ({@code name/id}). */
  Map<String, Sse> lastById() {
    return lastById;
  }

  /** True once the server ended the stream (its last chunk, or the connection closed). */
  boolean ended() {
    return ended;
  }

  /**
   * Reads until {@code done} holds for the events read so far, the stream ends, or {@code atMost}
   * passed; returns whether {@code done} holds.
   */
  boolean readUntil(Predicate<List<Sse>> done, Duration atMost) throws IOException {
    long deadline = System.nanoTime() + atMost.toNanos();
    boolean met = done.test(events);
    while (!met && !ended && System.nanoTime() < deadline) {
      try {
        // Judged once what has arrived is read, not after every event of a backlog.
        if (readSome() && in.available() == 0) {
          met = done.test(events);
        }
      } catch (SocketTimeoutException quiet) {
        // nothing arrived for a while; look at the clock again
      } catch (IOException closed) {
        ended = true; // reset or closed by the server
      }
    }
    return met || done.test(events);
  }

  /** Reads one byte of the body; true when it completed an event. */
  private boolean readSome() throws IOException {
    if (chunkLeft == 0) {
      String size = headLine();
      if (size.isEmpty()) { // the CRLF after the previous chunk's data
        size = headLine();
      }
      chunkLeft = Long.parseLong(size.split(";")[0].trim(), 16);
      if (chunkLeft == 0) {
        ended = true;
        return false;
      }
    }
    int b = in.read();
    if (b < 0) {
      ended = true;
      return false;
    }
    chunkLeft--;
    if (b != '\n') {
      line.write(b);
      return false;
    }
    String l = line.toString(StandardCharsets.UTF_8);
    line.reset();
    if (l.isEmpty()) {
      boolean event = data.length() > 0 || !"message".equals(name);
      if (event) {
        Sse e = new Sse(name, id, data.toString());
        events.add(e);
        lastById.put(name + "/" + id, e);
      }
      name = "message";
      id = null;
      data.setLength(0);
      return event;
    } else if (l.startsWith("event:")) {
      name = l.substring(6).trim();
    } else if (l.startsWith("id:")) {
      id = l.substring(3).trim();
    } else if (l.startsWith("data:")) {
      data.append(data.length() > 0 ? "\n" : "").append(l.substring(5).trim());
    }
    return false;
  }

  /** One CRLF-terminated line of the head or of the chunk framing. */
  private String headLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        ended = true;
        throw new IOException("the stream closed");
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
