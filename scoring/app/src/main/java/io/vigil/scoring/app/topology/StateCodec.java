package io.vigil.scoring.app.topology;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Encoder and decoder of one kind of state row in Avro's single-object encoding (the byte layout of
 * {@code io.vigil.schemas.serde.AvroSerde}: marker {@code C3 01}, the writer schema's 8-byte
 * CRC-64-AVRO fingerprint, the binary datum), made for the stream thread, which reads and writes
 * several rows per reading and per scored window: the binary encoder and decoder, the output buffer
 * and the decoded record are reused between calls, the decoder reads the stored bytes in place, and
 * the generated classes' own field-by-field coders are used. Rows written with an earlier schema of
 * the record are read through Avro's schema resolution once that schema is {@linkplain #readable
 * registered}.
 *
 * <p>Not thread-safe: one per thread ({@link StateRows}). The record {@link #decode} returns is
 * reused by the next call on the same codec, so a caller converts it before decoding again.
 */
final class StateCodec<T extends SpecificRecordBase> {
  private static final byte MARKER_0 = (byte) 0xC3;
  private static final byte MARKER_1 = (byte) 0x01;
  private static final int HEADER = 10;

  private final Schema schema;
  private final byte[] header = new byte[HEADER];
  private final SpecificDatumWriter<T> writer;
  private final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
  private final SpecificData model;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
  private BinaryEncoder encoder;
  private BinaryDecoder decoder;
  private T reuse;

  StateCodec(Class<T> type) {
    this.model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.writer = new SpecificDatumWriter<>(schema, model);
    long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
    header[0] = MARKER_0;
    header[1] = MARKER_1;
    for (int i = 0; i < Long.BYTES; i++) {
      header[2 + i] = (byte) (fingerprint >>> (8 * i));
    }
    readers.put(fingerprint, new SpecificDatumReader<>(schema, schema, model));
  }

  /** Also reads rows written with {@code earlier}, an earlier schema of the same record. */
  StateCodec<T> readable(Schema earlier) {
    readers.put(
        SchemaNormalization.parsingFingerprint64(earlier),
        new SpecificDatumReader<>(earlier, schema, model));
    return this;
  }

  Schema schema() {
    return schema;
  }

  byte[] encode(T record) {
    try {
      out.reset();
      out.write(header, 0, HEADER);
      encoder = EncoderFactory.get().binaryEncoder(out, encoder);
      writer.write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
      throw new SerializationException(
          "cannot encode " + schema.getName() + ": " + e.getMessage(), e);
    }
  }

  private SerializationException badHeader(String detail) {
    return new SerializationException(
        "not an Avro single-object encoded " + schema.getName() + " (bad header: " + detail + ")");
  }

  /**
   * Decodes a row into the codec's reused record.
   *
   * @throws SerializationException saying whether the header, the schema fingerprint or the datum
   *     was wrong
   */
  T decode(byte[] bytes) {
    // The messages are those of Avro's single-object decoder (AvroSerde's), so a bad row reads
    // the same whichever decoder met it.
    if (bytes.length < HEADER) {
      throw badHeader("Not enough header bytes");
    }
    if (bytes[0] != MARKER_0 || bytes[1] != MARKER_1) {
      throw badHeader(
          String.format(
              Locale.ROOT, "Unrecognized header bytes: 0x%02X 0x%02X", bytes[0], bytes[1]));
    }
    long fingerprint = 0;
    for (int i = Long.BYTES - 1; i >= 0; i--) {
      fingerprint = fingerprint << 8 | (bytes[2 + i] & 0xFF);
    }
    SpecificDatumReader<T> reader = readers.get(fingerprint);
    if (reader == null) {
      throw new SerializationException(
          "unknown schema for "
              + schema.getName()
              + ": Cannot resolve schema for fingerprint: "
              + fingerprint);
    }
    try {
      decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER, bytes.length - HEADER, decoder);
      reuse = reader.read(reuse, decoder);
      return reuse;
    } catch (IOException | RuntimeException e) {
      reuse = null;
      throw new SerializationException(
          "corrupt " + schema.getName() + " datum (" + bytes.length + " bytes): " + e, e);
    }
  }
}
