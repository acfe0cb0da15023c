package io.vigil.tools.physionet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal reader of POSIX (ustar) tar streams: regular files only, enough for the challenge data.
 */
final class TarReader {
  interface Entry {
    void accept(String name, byte[] content) throws IOException;
  }

  private TarReader() {}

  static void forEach(InputStream in, Entry entry) throws IOException {
    byte[] header = new byte[512];
    String longName = null;
    while (readFully(in, header)) {
      if (isZero(header)) {
        return;
      }
      String name = longName != null ? longName : field(header, 0, 100);
      longName = null;
      String prefix = field(header, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      String sizeField = field(header, 124, 12).trim();
      long size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
      char type = (char) header[156];
      byte[] content = new byte[Math.toIntExact(size)];
      if (size > 0 && !readFully(in, content)) {
        throw new IOException("truncated tar entry " + name);
      }
      in.skipNBytes((512 - size % 512) % 512);
      if (type == 'L') {
        longName = new String(content, StandardCharsets.UTF_8).replace("\0", "");
      } else if (type == '0' || type == '\0') {
        entry.accept(name, content);
      }
    }
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.US_ASCII);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readFully(InputStream in, byte[] buf) throws IOException {
    int n = in.readNBytes(buf, 0, buf.length);
    if (n == 0) {
      return false;
    }
    if (n < buf.length) {
      throw new IOException("truncated tar stream");
    }
    return true;
  }
}
