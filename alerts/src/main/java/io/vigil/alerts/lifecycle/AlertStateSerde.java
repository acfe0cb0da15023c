package io.vigil.alerts.lifecycle;

import io.vigil.schemas.alerts.AlertCategory;
import io.vigil.schemas.alerts.AlertCause;
import io.vigil.schemas.alerts.AlertPriority;
import io.vigil.schemas.alerts.LstmThresholdSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link AlertState} for the state store and its changelog. Versioned by a leading
 * byte so a later layout can still read what an earlier release wrote.
 */
public final class AlertStateSerde implements Serde<AlertState> {
  private static final byte VERSION = 4;

  /** The layout with latching, before the LSTM threshold of the evidence was recorded. */
  private static final byte VERSION_3 = 3;

  /** The layout with revision, late-data and clear-run fields, before latching. */
  private static final byte VERSION_2 = 2;

  /** The first layout, without revision, late-data and clear-run fields. */
  private static final byte VERSION_1 = 1;

  @Override
  public Serializer<AlertState> serializer() {
    return (topic, s) -> s == null ? null : write(s);
  }

  @Override
  public Deserializer<AlertState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }

  static byte[] write(AlertState s) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      out.writeUTF(s.alertId);
      out.writeUTF(s.patient);
      out.writeUTF(s.cause.name());
      out.writeUTF(s.category.name());
      out.writeUTF(s.priority.name());
      out.writeUTF(s.careTeam);
      out.writeInt(s.tier);
      out.writeUTF(s.status.name());
      out.writeInt(s.seq);
      out.writeInt(s.clearCount);
      out.writeBoolean(s.lstmRisk != null);
      out.writeDouble(s.lstmRisk == null ? 0 : s.lstmRisk);
      out.writeBoolean(s.news2Total != null);
      out.writeInt(s.news2Total == null ? 0 : s.news2Total);
      out.writeLong(s.windowEnd);
      out.writeLong(s.notifiedAt);
      out.writeLong(s.deadline);
      out.writeLong(s.clearFrom);
      out.writeInt(s.revision);
      out.writeInt(s.lateReadings);
      out.writeBoolean(s.lateData);
      out.writeBoolean(s.cleared);
      out.writeBoolean(s.lstmThreshold != null);
      out.writeDouble(s.lstmThreshold == null ? 0 : s.lstmThreshold);
      out.writeUTF(s.lstmThresholdSource == null ? "" : s.lstmThresholdSource.name());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new SerializationException("cannot encode alert state " + s.alertId, e);
    }
  }

  static AlertState read(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version < VERSION_1 || version > VERSION) {
        throw new SerializationException("unknown alert state version " + version);
      }
      AlertState s = new AlertState();
      s.alertId = in.readUTF();
      s.patient = in.readUTF();
      s.cause = AlertCause.valueOf(in.readUTF());
      s.category = AlertCategory.valueOf(in.readUTF());
      s.priority = AlertPriority.valueOf(in.readUTF());
      s.careTeam = in.readUTF();
      s.tier = in.readInt();
      s.status = AlertStatus.valueOf(in.readUTF());
      s.seq = in.readInt();
      s.clearCount = in.readInt();
      boolean hasRisk = in.readBoolean();
      double risk = in.readDouble();
      s.lstmRisk = hasRisk ? risk : null;
      boolean hasNews2 = in.readBoolean();
      int news2 = in.readInt();
      s.news2Total = hasNews2 ? news2 : null;
      s.windowEnd = in.readLong();
      s.notifiedAt = in.readLong();
      s.deadline = in.readLong();
      if (version >= VERSION_2) {
        s.clearFrom = in.readLong();
        s.revision = in.readInt();
        s.lateReadings = in.readInt();
        s.lateData = in.readBoolean();
      }
      if (version >= VERSION_3) {
        s.cleared = in.readBoolean();
      }
      if (version >= VERSION) {
        boolean hasThreshold = in.readBoolean();
        double threshold = in.readDouble();
        s.lstmThreshold = hasThreshold ? threshold : null;
        String source = in.readUTF();
        s.lstmThresholdSource = source.isEmpty() ? null : LstmThresholdSource.valueOf(source);
      }
      return s;
    } catch (IOException | IllegalArgumentException e) {
      throw new SerializationException("cannot decode alert state", e);
    }
  }
}
