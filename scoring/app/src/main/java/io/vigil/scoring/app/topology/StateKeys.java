package io.vigil.scoring.app.topology;

import io.vigil.schemas.common.PatientKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys of the topology's stores. A patient is encoded as a length-prefixed tenant and
 * patient id; times are big-endian with the sign bit flipped, so byte order equals time order and
 * one patient's rows are a contiguous range ({@code patient | time}) or one time's rows are ({@code
 * time | patient}).
 */
public final class StateKeys {
  private StateKeys() {}

  public static byte[] patient(PatientKey key) {
    byte[] tenant = key.getTenant().getBytes(StandardCharsets.UTF_8);
    byte[] id = key.getPatientId().getBytes(StandardCharsets.UTF_8);
    if (tenant.length > 0xFFFF || id.length > 0xFFFF) {
      throw new IllegalArgumentException("tenant and patient id must be under 64 KiB");
    }
    return ByteBuffer.allocate(4 + tenant.length + id.length)
        .putShort((short) tenant.length)
        .put(tenant)
        .putShort((short) id.length)
        .put(id)
        .array();
  }

  public static PatientKey parsePatient(byte[] bytes, int offset) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
    byte[] tenant = new byte[Short.toUnsignedInt(buffer.getShort())];
    buffer.get(tenant);
    byte[] id = new byte[Short.toUnsignedInt(buffer.getShort())];
    buffer.get(id);
    return new PatientKey(
        new String(tenant, StandardCharsets.UTF_8), new String(id, StandardCharsets.UTF_8));
  }

  /** {@code patient | time}: buckets, scores. */
  public static Bytes patientTime(byte[] patient, long time) {
    return Bytes.wrap(
        ByteBuffer.allocate(patient.length + 8)
            .put(patient)
            .putLong(time ^ Long.MIN_VALUE)
            .array());
  }

  /** {@code patient | time | hash}: reading ids seen, expiring with their bucket. */
  public static Bytes patientTimeHash(byte[] patient, long time, long hash) {
    return Bytes.wrap(
        ByteBuffer.allocate(patient.length + 16)
            .put(patient)
            .putLong(time ^ Long.MIN_VALUE)
            .putLong(hash)
            .array());
  }

  /** {@code time | patient}: windows waiting to be scored, patients waiting for idle closure. */
  public static Bytes timePatient(long time, byte[] patient) {
    return Bytes.wrap(
        ByteBuffer.allocate(8 + patient.length)
            .putLong(time ^ Long.MIN_VALUE)
            .put(patient)
            .array());
  }

  /** The time of a {@code patient | time} key whose patient part is {@code patientLength} long. */
  public static long timeAfterPatient(Bytes key, int patientLength) {
    return ByteBuffer.wrap(key.get(), patientLength, 8).getLong() ^ Long.MIN_VALUE;
  }

  /** The time of a {@code time | patient} key. */
  public static long leadingTime(Bytes key) {
    return ByteBuffer.wrap(key.get(), 0, 8).getLong() ^ Long.MIN_VALUE;
  }

  /** The patient part of a {@code time | patient} key. */
  public static byte[] trailingPatient(Bytes key) {
    byte[] all = key.get();
    byte[] patient = new byte[all.length - 8];
    System.arraycopy(all, 8, patient, 0, patient.length);
    return patient;
  }
}
